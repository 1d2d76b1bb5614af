namespace Mimi.Discovery.Server.Delivery;

/// <summary>A Welcome's new member as this provider can route it: the client, its provider, and who claimed its KeyPackage.</summary>
internal sealed record WelcomeRoute(string ClientUri, string Domain, string RequesterUser);
