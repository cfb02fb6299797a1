using Testbed.Model;
using System.CommandLine;
using Spectre.Console;
using Testbed.Transport;
using Testbed.Secrets;

namespace Testbed.Cli.Verbs;

/// <summary><c>ssh HOST -- COMMAND</c>: runs a command on a host of the stack, prints its output, exits with its status.</summary>
public static class SshVerb
{
    public static Command Build()
    {
        var stack = Verb.StackOption();
        var host = new Argument<string>("host") { Description = "A gateway of the stack (gw-a, gw-b on local)" };
        var command = new Argument<string[]>("command") { Description = "The command to run (after --)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("ssh", "Run a command on a host of the stack") { stack, host, command };
        cmd.SetAction((pr, ct) => Verb.Guard(async () =>
        {
            var name = pr.GetValue(host)!;
            var words = pr.GetValue(command) ?? [];
            await using var d = Verb.Open(pr.GetValue(stack)!, "ssh", exclusive: false);
            if (d.Spec.Host(name) is null)
                throw new ConfigException(new ConfigError(d.Spec.InventoryFile, "hosts",
                    $"unknown host '{name}' (hosts: {string.Join(", ", d.Spec.Gateways.Select(g => g.Name))})"));
            var topology = await d.ReachAsync(bringUp: false, ct);
            if (topology.Down.Contains(name))
            {
                Verb.Console.MarkupLineInterpolated($"[red]error: {name} is not running; run up first[/]");
                return Exit.Failed;
            }
            if (words.Length == 0)
            {
                // No command: say how to log in with ssh(1), with the host key this stack pinned.
                var pinned = new HostKeyPins(d.Paths.KnownHosts, readOnly: true).Pinned(name);
                Console.WriteLine(d.Provider.LoginHint(d.Gateway(name), pinned));
                return Exit.Ok;
            }
            // Words after -- are one command line, as ssh(1) takes them.
            var result = await d.Shell(name).RunAsync(new RemoteCommand(string.Join(' ', words)), "ssh", TimeSpan.FromHours(1), ct);
            Console.Out.Write(Redactor.Redact(result.Stdout));
            Console.Error.Write(Redactor.Redact(result.Stderr));
            return result.ExitCode;
        }));
        return cmd;
    }
}
