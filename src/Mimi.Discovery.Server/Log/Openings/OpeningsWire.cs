namespace Mimi.Discovery.Server.Log.Openings;

internal sealed record IndexesRequest(string[]? Identifiers);

internal sealed record IndexesResponse(IdentifierIndexView[] Indexes, IdentifierRefusalView[] Refused);

/// <summary>An identifier's index under one VRF key, with the proof that it is the VRF output over the identifier.</summary>
internal sealed record IdentifierIndexView(string Identifier, string VrfKey, string Proof, string IdentifierIndex);

internal sealed record IdentifierRefusalView(string Identifier, string Reason);

internal sealed record OpeningsRequest(long[]? LogIndexes);

internal sealed record OpeningsResponse(OpeningView[] Openings, OpeningRefusalView[] Refused);

/// <summary>An entry's opening (docs/accountability.md §2): the random opening and the committed value bytes, both base64.</summary>
internal sealed record OpeningView(long LogIndex, string Opening, string Value);

internal sealed record OpeningRefusalView(long LogIndex, string Reason);
