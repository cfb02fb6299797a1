using Testbed.Transport;

namespace Testbed.Transport;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>A place to run shell commands: a gateway over SSH, or the local testbed's own network namespace.</summary>
public interface IHostShell : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Where the shell goes, for status and errors (<c>root@127.0.0.1:40022</c>).</summary>
    string Endpoint { get; }

    Task ConnectAsync(CancellationToken ct);

    /// <param name="step">What the command is for, named in errors (<c>read</c>, <c>apply sysctl net.ipv4.tcp_rmem</c>).</param>
    Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct);
}

/// <summary>A host could not be reached, or stopped answering, after the bounded retries.</summary>
public sealed class HostUnreachableException(string host, string message, Exception? inner = null)
    : Exception(Secrets.Redactor.Redact(message), inner)
{
    public string Host { get; } = host;
}
