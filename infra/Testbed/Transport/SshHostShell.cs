using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;
using Testbed.Diagnostics;
using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Transport;

/// <summary>
/// One SSH.NET connection to one host, reused for every command of a run. Connecting retries a bounded number
/// of times; a connection that drops during a command is re-opened and the command run again (every command
/// the tool sends is written to be safe to repeat), then the failure is reported with the host and the step.
/// </summary>
public sealed class SshHostShell(string name, SshEndpoint endpoint, HostKeyPins pins, SshOptions options) : IHostShell
{
    SshClient? _client;
    string? _hostKeyProblem;
    readonly SemaphoreSlim _connectGate = new(1, 1);

    public string Name => name;
    public string Endpoint => endpoint.ToString();

    public async Task ConnectAsync(CancellationToken ct)
    {
        await _connectGate.WaitAsync(ct);
        try
        {
            if (_client is { IsConnected: true }) return;
            Exception? last = null;
            for (var attempt = 1; attempt <= options.ConnectAttempts; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                _client?.Dispose();
                _client = NewClient();
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(options.ConnectTimeout);
                    Trace.Mark(name, "connect");
                    await _client.ConnectAsync(timeout.Token);
                    Trace.Mark(name, "connected");
                    await CheckSudoAsync(ct);
                    return;
                }
                catch (SshAuthenticationException e)
                {
                    throw new HostUnreachableException(name, $"{name} ({Endpoint}) refused the key {endpoint.KeyFile}: {e.Message}", e);
                }
                catch (Exception e) when (_hostKeyProblem is not null)
                {
                    throw new HostUnreachableException(name, _hostKeyProblem, e);
                }
                catch (Exception e) when (e is SocketException or SshException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
                {
                    last = e;
                    if (attempt < options.ConnectAttempts) await Task.Delay(options.RetryDelay * attempt, ct);
                }
            }
            throw new HostUnreachableException(name,
                $"{name} ({Endpoint}) is unreachable after {options.ConnectAttempts} attempts of {options.ConnectTimeout.TotalSeconds:0} s: {Describe(last)}", last);
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>
    /// A user other than root runs every command through <c>sudo -n</c>: without password-less sudo nothing could be
    /// read or applied, so say so once, at connect, before anything is tried. Checked once per shell.
    /// </summary>
    async Task CheckSudoAsync(CancellationToken ct)
    {
        if (endpoint.User == "root" || _sudoChecked) return;
        var r = await ExecuteAsync("sudo -n true", null, options.ConnectTimeout, ct);
        if (r.ExitCode != 0)
            throw new PrivilegeException(name, $"{name} ({Endpoint}): user {endpoint.User} cannot run commands as root without a password " +
                                               $"(sudo -n true: {(r.Stderr + r.Stdout).Trim()}); give it password-less sudo, or log in as root");
        _sudoChecked = true;
    }

    bool _sudoChecked;

    SshClient NewClient()
    {
        PrivateKeyFile key;
        try
        {
            key = new PrivateKeyFile(endpoint.KeyFile);
        }
        catch (Exception e) when (e is SshException or IOException or ArgumentException or FormatException)
        {
            // A bad key is the inventory's mistake, not the host's: say which file and why, before any retry.
            throw new HostUnreachableException(name, $"{name}: the key {endpoint.KeyFile} is not a private key SSH.NET can read " +
                                                     $"(OpenSSH, PEM or PuTTY, without a passphrase): {e.Message}", e);
        }
        var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, key))
        {
            Timeout = options.ConnectTimeout,
        };
        var client = new SshClient(info) { KeepAliveInterval = TimeSpan.FromSeconds(5) };
        client.HostKeyReceived += (_, e) =>
        {
            _hostKeyProblem = pins.Check(name, e.FingerPrintSHA256);
            e.CanTrust = _hostKeyProblem is null;
        };
        return client;
    }

    public async Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
    {
        var script = endpoint.User == "root" ? command.Script : $"sudo -n sh -c {Sh.Quote(command.Script)}";
        Exception? last = null;
        for (var attempt = 1; attempt <= options.CommandAttempts; attempt++)
        {
            try
            {
                await ConnectAsync(ct);
            }
            catch (HostUnreachableException e)
            {
                // The connection broke (under this step, or while idle before it) and would not come back: name the step.
                throw new ConnectionLostException(name, last is null
                    ? $"{name}: connection gone before {step}, and reconnecting failed: {e.Message}"
                    : $"{name}: lost the connection during {step}, and reconnecting failed: {e.Message}", e);
            }
            try
            {
                Trace.Mark(name, step);
                var result = await ExecuteAsync(script, command.Stdin, timeout, ct);
                Trace.Mark(name, step + " done");
                return result;
            }
            catch (TimeoutException)
            {
                throw new CommandTimeoutException(name, $"{name}: {step} did not finish within {timeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (IsConnectionLoss(e) && !ct.IsCancellationRequested)
            {
                // The connection went away under the command; open a new one and run it again.
                last = e;
                _client?.Dispose();
                _client = null;
                if (attempt < options.CommandAttempts) await Task.Delay(options.RetryDelay, ct);
            }
        }
        throw new ConnectionLostException(name, $"{name}: lost the connection during {step} ({options.CommandAttempts} attempts): {Describe(last)}", last);
    }

    async Task<CommandResult> ExecuteAsync(string script, string? stdin, TimeSpan timeout, CancellationToken ct)
    {
        using var cmd = _client!.CreateCommand(script);
        cmd.CommandTimeout = timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        // SSH.NET opens the channel and sends the exec request synchronously, waiting a round trip for each (and, in the
        // guest, for sshd to fork the session): off this thread, so that the hosts of a run start their commands together.
        var run = await Task.Factory.StartNew(() => cmd.ExecuteAsync(deadline.Token), CancellationToken.None,
            TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        if (stdin is not null)
        {
            await using var input = cmd.CreateInputStream();
            await input.WriteAsync(System.Text.Encoding.UTF8.GetBytes(stdin), deadline.Token);
        }
        try
        {
            await run;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
        catch (SshOperationTimeoutException)
        {
            throw new TimeoutException();
        }
        return new CommandResult(cmd.ExitStatus ?? (cmd.ExitSignal is null ? -1 : 128), cmd.Result, cmd.Error);
    }

    static bool IsConnectionLoss(Exception e) =>
        e is SshConnectionException or SocketException or ObjectDisposedException or (SshException and not SshAuthenticationException);

    static string Describe(Exception? e) => e switch
    {
        null => "no answer",
        SocketException s => s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.TimedOut => "timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
            _ => s.Message,
        },
        OperationCanceledException or SshOperationTimeoutException => "timed out",
        _ => Redactor.Redact(e.Message),
    };

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _client = null;
        return ValueTask.CompletedTask;
    }
}

/// <summary>How patient the transport is. Defaults suit a LAN; <c>TESTBED_SSH_TIMEOUT</c> (seconds) overrides the connect timeout.</summary>
public sealed record SshOptions(TimeSpan ConnectTimeout, int ConnectAttempts, int CommandAttempts, TimeSpan RetryDelay)
{
    public static SshOptions Default => new(
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("TESTBED_SSH_TIMEOUT"), out var s) && s > 0 ? s : 10),
        ConnectAttempts: 3, CommandAttempts: 3, RetryDelay: TimeSpan.FromSeconds(1));
}
