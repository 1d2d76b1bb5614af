using System.Net;

namespace Mimi.Discovery.Resolution.Tests;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.5.4", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "CGNAT")]
    [InlineData("100.127.255.254", "CGNAT")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata")]
    [InlineData("64:ff9b::a00:1", "NAT64 of 10.0.0.1")]
    public void Special_purpose_addresses_are_refused_by_default(string address, string expectedReason)
    {
        var reason = AddressGuard.Strict.Check(IPAddress.Parse(address));

        Assert.NotNull(reason);
        Assert.Contains(expectedReason, reason, StringComparison.Ordinal);
        Assert.False(AddressGuard.Strict.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(AddressGuard.Strict.Check(IPAddress.Parse(address)));
        Assert.Null(AddressGuard.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("127.1.2.3")]
    public void Configured_ranges_are_allowed(string address)
    {
        var guard = new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]);

        Assert.True(guard.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowing_one_range_does_not_allow_others()
    {
        var guard = new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]);

        Assert.False(guard.IsAllowed(IPAddress.Parse("10.0.0.1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("::1")));
    }
}
