using Testbed.Config;

namespace Verification.Support;

/// <summary>
/// A project folder of its own in /tmp: the repository's Pulumi.yaml and local inventory, and the stacks and
/// inventories these tests write. Nothing of the repository's own stacks is touched.
/// </summary>
public sealed class ThrowAwayProject : IDisposable
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The gateways as inventory/local.yaml declares them; the lab inventory repeats them.</summary>
    public static readonly (string Name, string Role, string Address, string Site, string SiteAddress)[] Gateways =
    [
        ("gw-a", "sender", "192.0.2.1/24", "10.1.0.0/24", "10.1.0.1"),
        ("gw-b", "receiver", "192.0.2.2/24", "10.2.0.0/24", "10.2.0.1"),
    ];

    public string Dir { get; }
    public Project Project { get; }

    ThrowAwayProject(string dir)
    {
        Dir = dir;
        Project = Project.Find(dir);
    }

    /// <summary>
    /// Copies Pulumi.yaml and inventory/local.yaml of <paramref name="repo"/> into a fresh folder; with
    /// <paramref name="withVerificationData"/> also the verification suite's profiles and thresholds (a lab's repository
    /// has them), so that the suite can run with this folder as <c>TESTBED_ROOT</c>, keeping its baselines and results here.
    /// </summary>
    public static ThrowAwayProject Create(Project repo, bool withVerificationData = false)
    {
        var dir = Directory.CreateTempSubdirectory(withVerificationData ? "ipsec-testbed-lab-" : "ipsec-testbed-faults-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "inventory"));
        Directory.CreateDirectory(Path.Combine(dir, "stacks"));
        File.Copy(Path.Combine(repo.Root, "Pulumi.yaml"), Path.Combine(dir, "Pulumi.yaml"));
        File.Copy(repo.InventoryFile("local"), Path.Combine(dir, "inventory", "local.yaml"));
        if (withVerificationData)
        {
            var profiles = Path.Combine(dir, "verification", "profiles");
            Directory.CreateDirectory(profiles);
            Directory.CreateDirectory(Path.Combine(dir, "verification", "baselines"));
            foreach (var f in Directory.GetFiles(Path.Combine(repo.Root, "verification", "profiles"), "*.json"))
                File.Copy(f, Path.Combine(profiles, Path.GetFileName(f)));
            File.Copy(Path.Combine(repo.Root, "verification", "thresholds.json"), Path.Combine(dir, "verification", "thresholds.json"));
        }
        return new ThrowAwayProject(dir);
    }

    public string StackFile(string stack) => Project.StackFile(stack);

    public string InventoryFile(string name) => Project.InventoryFile(name);

    public void WriteStack(string stack, string yaml) => File.WriteAllText(StackFile(stack), yaml);

    /// <summary>A copy of a private key beside the inventories, with the mode asked for.</summary>
    public string CopyKey(string from, string name, UnixFileMode mode)
    {
        var to = Path.Combine(Dir, "inventory", name);
        File.Copy(from, to, overwrite: true);
        File.SetUnixFileMode(to, mode);
        return to;
    }

    /// <summary>An ssh-provider inventory of the two gateways, each reached at 127.0.0.1:port as <paramref name="user"/> with the key beside it.</summary>
    /// <param name="hardware">The inventory's <c>hardware:</c>, when it says one.</param>
    public void WriteSshInventory(string name, IReadOnlyDictionary<string, int> ports, string keyName, string user = "root",
        string note = "Written by the fault tests: the local guests, reached as lab hosts through the tests' proxy.", string? hardware = null) =>
        WriteInventory(name, note, "provider: ssh\n" + (hardware is null ? "" : $"hardware: {hardware}\n"),
            g => $"    ssh: {{host: 127.0.0.1, port: {ports[g]}, user: {user}, key: {keyName}}}\n");

    /// <summary>A local-provider inventory of the two gateways whose guests' wire NIC moves frames as <paramref name="wireIo"/> says.</summary>
    public void WriteLocalInventory(string name, string wireIo, string note) =>
        WriteInventory(name, note, $"provider: local\nwire-io: {wireIo}\n", _ => "");

    void WriteInventory(string name, string note, string head, Func<string, string> reach)
    {
        var text = $"# {note}\n{head}hosts:\n";
        foreach (var g in Gateways)
            text += $"  {g.Name}:\n" +
                    $"    role: {g.Role}\n" +
                    reach(g.Name) +
                    "    nic: vec0\n" +
                    $"    address: {g.Address}\n" +
                    $"    site: {g.Site}\n";
        File.WriteAllText(InventoryFile(name), text);
    }

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
