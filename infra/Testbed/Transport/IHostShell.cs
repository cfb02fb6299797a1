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

/// <summary>
/// The one error contract of every shell, over SSH or on this machine: the host was not reached, the connection went
/// away, or a command did not finish in its time. The message names the host and the step, and holds no secret.
/// </summary>
public abstract class TransportException(string host, string message, Exception? inner)
    : Exception(Secrets.Redactor.Redact(message), inner)
{
    public string Host { get; } = host;
}

/// <summary>A host could not be reached (refused, timed out, key refused, host key changed) after the bounded retries.</summary>
public sealed class HostUnreachableException(string host, string message, Exception? inner = null) : TransportException(host, message, inner);

/// <summary>The connection went away during (or right before) a step and would not come back within the retries.</summary>
public sealed class ConnectionLostException(string host, string message, Exception? inner = null) : TransportException(host, message, inner);

/// <summary>The host was reached, but the user cannot act as root there (no password-less sudo): nothing can be read or set.</summary>
public sealed class PrivilegeException(string host, string message) : TransportException(host, message, null);

/// <summary>A command did not finish within the time its step allows; it was stopped.</summary>
public sealed class CommandTimeoutException(string host, string message) : TransportException(host, message, null);
