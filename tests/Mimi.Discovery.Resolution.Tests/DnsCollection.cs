namespace Mimi.Discovery.Resolution.Tests;

/// <summary>One dnsmasq with the fixed zone (<see cref="DnsFixture"/>) for the test classes of this collection.</summary>
[CollectionDefinition("dns")]
public sealed class DnsCollection : ICollectionFixture<DnsFixture>;
