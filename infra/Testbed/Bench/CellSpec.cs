using Testbed.Model;

namespace Testbed.Bench;

/// <summary>What the engine provisions for a cell: the stack's own declaration with the cell's link, MTU, tuning, mode and protection.</summary>
public static class CellSpec
{
    public static TestbedSpec For(TestbedSpec stack, CellKey cell)
    {
        var (kernel, nic) = TuningLevels.Settings(cell.Tuning);
        var protection = Protection.Parse(cell.Protection) ?? throw new ArgumentException($"'{cell.Protection}' is not a case name");
        return stack with
        {
            Mtu = cell.Mtu,
            Link = Link.Parse(cell.Link) ?? throw new ArgumentException($"'{cell.Link}' is not a link"),
            Kernel = kernel,
            Nic = nic,
            Ipsec = stack.Ipsec.With(protection) with { Mode = IpsecNames.ParseMode(cell.Mode) ?? throw new ArgumentException($"'{cell.Mode}' is not a mode") },
        };
    }

    /// <summary>Cells that need the same provisioning (they differ in message size only).</summary>
    public static (GroupKey Group, string Protection) Provisioning(CellKey cell) => (cell.Group, cell.Protection);
}
