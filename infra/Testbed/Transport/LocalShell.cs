using System.Diagnostics;
using Testbed.Transport;

namespace Testbed.Transport;

/// <summary>
/// Runs commands on this machine, optionally inside a network namespace (<c>ip netns exec</c>): the local testbed's
/// wire is a host like the gateways, so shaping it is an ordinary resource.
/// </summary>
public sealed class LocalShell(string name, string? netns) : IHostShell
{
    public string Name => name;
    public string Endpoint => netns is null ? "this machine" : $"netns {netns}";

    public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await Run(netns is null ? ["sh", "-c", command.Script] : ["ip", "netns", "exec", netns, "sh", "-c", command.Script],
                command.Stdin, timeout, ct);
        }
        catch (CommandTimeoutException)
        {
            throw new CommandTimeoutException(name, $"{name}: {step} did not finish within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Runs a program with arguments (no shell), feeding <paramref name="stdin"/>, and collects its output.</summary>
    public static async Task<CommandResult> Run(IReadOnlyList<string> argv, string? stdin, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await p.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new CommandTimeoutException("this machine", $"{argv[0]} did not finish within {timeout.TotalSeconds:0} s");
        }
        return new CommandResult(p.ExitCode, await stdout, await stderr);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
