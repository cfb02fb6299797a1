using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Tests.Support;

namespace Testbed.Tests.Engine;

public class StackLockTests
{
    TempDir _dir = null!;
    StackPaths _paths = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDir();
        _paths = new StackPaths(Path.Combine(_dir.Path, "ipsec-testbed", "test"));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void A_second_acquire_is_refused_naming_the_holders_pid_and_operation()
    {
        using var held = StackLock.Acquire(_paths, "test", "up");
        FluentActions.Invoking(() => StackLock.Acquire(_paths, "test", "destroy"))
            .Should().Throw<StackBusyException>()
            .WithMessage($"stack 'test' is locked by pid {Environment.ProcessId} (up, since *); wait for that run to finish, or stop it");
    }

    [Test]
    public void After_dispose_the_stack_can_be_locked_again()
    {
        StackLock.Acquire(_paths, "test", "up").Dispose();
        File.Exists(_paths.LockInfo).Should().BeFalse("the side file goes with the lock");
        using var again = StackLock.Acquire(_paths, "test", "refresh");
        File.ReadAllText(_paths.LockInfo).Should().StartWith($"{Environment.ProcessId} refresh ");
    }

    [Test]
    public void The_stack_folder_is_created_private()
    {
        using var held = StackLock.Acquire(_paths, "test", "up");
        File.GetUnixFileMode(_paths.Dir).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (File.GetUnixFileMode(_paths.Lock) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).Should().Be(UnixFileMode.None);
    }

    [Test]
    public void Another_stack_has_its_own_lock()
    {
        using var held = StackLock.Acquire(_paths, "test", "up");
        using var other = StackLock.Acquire(new StackPaths(Path.Combine(_dir.Path, "ipsec-testbed", "lab")), "lab", "up");
        other.Should().NotBeNull();
    }

    [Test]
    public void Paths_live_under_the_stack_folder()
    {
        var p = new StackPaths("/x/ipsec-testbed/local");
        (p.State, p.Lock, p.LockInfo, p.KnownHosts, p.Keys, p.DataKey, p.Provider("local")).Should().Be((
            "/x/ipsec-testbed/local/state.json", "/x/ipsec-testbed/local/lock", "/x/ipsec-testbed/local/lock.info",
            "/x/ipsec-testbed/local/known_hosts", "/x/ipsec-testbed/local/keys.json", "/x/ipsec-testbed/local/data.key",
            "/x/ipsec-testbed/local/local"));
    }
}
