namespace Testbed.Transport;

/// <summary>A command for one host. <see cref="Stdin"/> carries key material and is never printed or stored.</summary>
public sealed record RemoteCommand(string Script, string? Stdin = null)
{
    public static readonly RemoteCommand Nothing = new("true");
}
