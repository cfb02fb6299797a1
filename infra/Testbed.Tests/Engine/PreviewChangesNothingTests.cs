using System.Diagnostics;
using System.Security.Cryptography;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

/// <summary>
/// <c>preview</c> is documented as changing nothing, and runs without the lock: it must not create the stack's
/// folder, keys, data key, host key pins or state, and must leave an existing folder byte for byte as it was. Run as
/// a user runs it: the built CLI in a child process, with its own TESTBED_HOME.
/// </summary>
public class PreviewChangesNothingTests
{
    const string EspStack = """
          ipsec-testbed:ipsec: { mode: tunnel, proto: esp, suite: aes128-sha1, keys: generate }
        """;

    TestProject _project = null!;
    TempDir _home = null!;

    string StackFolder => Path.Combine(_home.Path, "ipsec-testbed", "test");

    [SetUp]
    public void SetUp()
    {
        _project = new TestProject();
        _home = new TempDir();
    }

    [TearDown]
    public void TearDown()
    {
        _project.Dispose();
        _home.Dispose();
    }

    [Test]
    public async Task Preview_of_a_fresh_local_stack_creates_no_folder_no_key_and_no_state()
    {
        _project.Config(EspStack);
        var r = await PreviewAsync();
        r.Code.Should().Be(0, r.Output);
        r.Output.Should().Contain("generate key forward/esp/enc/cbc(aes)/128", "the preview says which keys up would make")
            .And.Contain("boot gw-a");
        Directory.Exists(StackFolder).Should().BeFalse($"preview must not create {StackFolder}");
        Directory.EnumerateFileSystemEntries(_home.Path).Should().BeEmpty("preview writes nothing under TESTBED_HOME");
    }

    [Test]
    public async Task Preview_leaves_an_existing_stack_folder_byte_for_byte_as_it_was()
    {
        _project.Config(EspStack);
        Directory.CreateDirectory(StackFolder);
        File.WriteAllText(Path.Combine(StackFolder, "state.json"), """{ "version": 1, "project": "ipsec-testbed", "stack": "test", "resources": [] }""");
        File.WriteAllText(Path.Combine(StackFolder, "known_hosts"), "gw-a SHA256:AAAA\n");
        var before = Snapshot();

        var r = await PreviewAsync();
        r.Code.Should().Be(0, r.Output);
        Snapshot().Should().Equal(before, "preview must change no file of the stack's folder and add none");
    }

    [Test]
    public async Task Preview_of_a_lab_stack_whose_hosts_do_not_answer_writes_nothing_either()
    {
        var key = Path.Combine(_project.Root, "inventory", "lab_key");
        Testbed.Local.SshKeys.Ensure(key, "lab key");
        _project.Inventory("lab", LabInventory);
        _project.Config("  ipsec-testbed:inventory: lab\n" + EspStack);

        var r = await PreviewAsync(("TESTBED_SSH_TIMEOUT", "2"));
        r.Code.Should().Be(2, $"an unreachable host is bad input: {r.Output}");
        r.Output.Should().Contain("connection refused");
        File.Exists(key).Should().BeTrue();
        Directory.Exists(StackFolder).Should().BeFalse("a failed preview leaves nothing behind either");
    }

    [Test]
    public async Task A_key_file_that_is_not_a_private_key_is_bad_input_naming_the_file()
    {
        _project.File0600("inventory/lab_key", "not a key\n");
        _project.Inventory("lab", LabInventory);
        _project.Config("  ipsec-testbed:inventory: lab\n" + EspStack);

        var r = await PreviewAsync();
        r.Code.Should().Be(2, r.Output);
        r.Output.Should().Contain("lab_key is not a private key").And.NotContain("bug");
    }

    const string LabInventory = """
        provider: ssh
        hosts:
          gw-a: { role: sender, nic: eth1, address: 192.0.2.1/24, site: 10.1.0.0/24, ssh: { host: 127.0.0.1, port: 1, user: root, key: lab_key } }
          gw-b: { role: receiver, nic: eth1, address: 192.0.2.2/24, site: 10.2.0.0/24, ssh: { host: 127.0.0.1, port: 1, user: root, key: lab_key } }
        """;

    SortedDictionary<string, string> Snapshot() =>
        new(Directory.EnumerateFiles(StackFolder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(StackFolder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    async Task<(int Code, string Output)> PreviewAsync(params (string Name, string Value)[] env)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _project.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "testbed.dll"), "preview", "--stack", "test" }) psi.ArgumentList.Add(a);
        psi.Environment["TESTBED_HOME"] = _home.Path;
        psi.Environment.Remove("TESTBED_STACK");
        psi.Environment.Remove("TESTBED_ROOT");
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (p.ExitCode, await stdout + await stderr);
    }
}
