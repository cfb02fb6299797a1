using System.CommandLine;
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
};
return await root.Parse(args).InvokeAsync();
