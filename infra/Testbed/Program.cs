using Testbed.Diagnostics;
using System.CommandLine;
using Testbed.Cli;
using Testbed.Cli.Verbs;
using Testbed.Engine;

Trace.Mark("start");

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
return parsed.Errors.Count > 0 ? Exit.BadInput : code;
