using Testbed.Model;
using System.CommandLine;
using Spectre.Console;
using Testbed.Config;
using Testbed.Engine;
using Testbed.Machine;
using Testbed.Providers;
using Testbed.Secrets;
using Testbed.Transport;

namespace Testbed.Cli;

/// <summary>What every verb shares: the stack option, opening the deployment, and turning failures into clear exits.</summary>
public static class Verb
{
    public static Option<string> StackOption() => new("--stack", "-s")
    {
        Description = "The stack to operate on (stacks/Pulumi.<stack>.yaml)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESTBED_STACK") is { Length: > 0 } s ? s : "local",
    };

    public static Option<bool> YesOption(string what) => new("--yes", "-y") { Description = $"{what} without asking" };

    public static Option<bool> ExpectNoChangesOption() => new("--expect-no-changes") { Description = "Exit non-zero if anything differs" };

    /// <summary>The terminal; in a pipe or a CI log, plain text at a width that keeps each step on one line.</summary>
    public static IAnsiConsole Console { get; } = CreateConsole();

    static IAnsiConsole CreateConsole()
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        if (redirected) console.Profile.Width = 240;
        return console;
    }

    /// <summary>Runs a verb's body, mapping each kind of failure to its exit code and a message without secrets.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors) Fail($"error: {error}");
            Console.MarkupLine("[grey]nothing was changed on any host[/]");
            return Exit.BadInput;
        }
        catch (StackBusyException e)
        {
            Fail($"error: {e.Message}");
            return Exit.Busy;
        }
        catch (PlanException e)
        {
            foreach (var error in e.Errors) Fail($"error: {error}");
            Console.MarkupLine("[grey]nothing was applied[/]");
            return Exit.Failed;
        }
        catch (Exception e) when (e is TransportException or ProviderException or MachineException or InvalidDataException or IOException)
        {
            Fail($"error: {e.Message}");
            return Exit.Failed;
        }
        catch (OperationCanceledException)
        {
            Fail("interrupted; the state file holds every step that finished, run the command again to carry on");
            return 130;
        }
        catch (Exception e)
        {
            // Nothing above expected it: still a message and an exit code, never a stack trace in a CI log.
            Fail($"error: {e.GetType().Name}: {e.Message}");
            Fail("this is a bug in the tool; the state file holds every step that finished");
            return Exit.Failed;
        }
    }

    static void Fail(string message) => Console.MarkupLineInterpolated($"[red]{Redactor.Redact(message)}[/]");

    public static Project Project() => Config.Project.Find();

    public static Deployment Open(string stack, string operation, IReporter? reporter = null, bool exclusive = true) =>
        Deployment.Open(Project(), stack, operation, reporter ?? new ConsoleReporter(Console), exclusive: exclusive);

    /// <summary>Pulumi's rule: in a pipeline, changes need <c>--yes</c>; at a terminal, they need a "yes".</summary>
    public static bool Confirm(string question, bool yes)
    {
        if (yes) return true;
        if (System.Console.IsInputRedirected)
            throw new ConfigException(new ConfigError("(command line)", "--yes", "must be passed in to proceed when running in non-interactive mode"));
        return Ask(question);
    }

    /// <summary>
    /// "question [y/n] (n): " and a line read: y or yes goes on; an empty line, n, no or the end of input does not. Not
    /// Spectre's <c>Confirm</c>: its prompt (<c>TextPrompt&lt;char&gt;</c>) finds a converter for its answer with
    /// <c>TypeDescriptor.GetConverter</c> (Spectre.Console's <c>TypeConverterHelper.GetTypeConverter&lt;T&gt;()</c>),
    /// reflection that a trimmed Native AOT build cannot vouch for, and Spectre's only trim warning there.
    /// </summary>
    static bool Ask(string question)
    {
        while (true)
        {
            Console.Markup($"{Markup.Escape(question)} [blue][[y/n]][/] [green](n)[/]: ");
            switch (System.Console.ReadLine()?.Trim().ToLowerInvariant())
            {
                case null or "" or "n" or "no": return false;
                case "y" or "yes": return true;
                default: Console.MarkupLine("[red]Please answer y or n[/]"); break;
            }
        }
    }
}
