using Testbed.Diagnostics;
using System.CommandLine;
using Testbed.Cli;
using Testbed.Cli.Verbs;
using Testbed.Engine;

Trace.Mark("start");

// SSH.NET waits on a pool thread for each host's key exchange, authentication and channel opening. With the pool's
// default minimum of one thread per core, two hosts' handshakes can hold every thread while `up` needs one for the
// local checks it runs meanwhile, and the pool adds threads only about twice a second.
ThreadPool.GetMinThreads(out var workers, out var completion);
ThreadPool.SetMinThreads(Math.Max(workers, 16), completion);

// The command line, with Pulumi's verbs. What the testbed consists of is declared in GatewayTestbed.cs.
var root = new RootCommand("ipsec-testbed: build, tune and verify two Linux IPsec gateways (Iatrou et al. 2009)")
{
    UpVerb.Build(),
    PreviewVerb.Build(),
    RefreshVerb.Build(),
    DestroyVerb.Build(),
    StatusVerb.Build(),
    SshVerb.Build(),
    ConfigVerb.Build(),
    BenchVerb.Build(),
};
// Ctrl-C (or SIGTERM) cancels the running verb, which then finishes its step and leaves the hosts as they should be:
// a bench puts the stack back or destroys it, which takes longer than System.CommandLine's default grace of 2 s.
var parsed = root.Parse(args);
var code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
// A command line that does not parse is bad input like a wrong stack file: nothing was touched (exit 2, not 1).
Trace.Mark("exit");
return parsed.Errors.Count > 0 ? Exit.BadInput : code;
