namespace Mimi.Discovery.Transparency;

/// <summary>The answers of a witness to <c>add-checkpoint</c> (C2SP tlog-witness), each with its HTTP status.</summary>
public enum WitnessOutcome
{
    /// <summary>200: the checkpoint is consistent with what the witness saw; the body is its cosignature line.</summary>
    Cosigned = 200,

    /// <summary>400: the body is malformed, or the old size exceeds the checkpoint's.</summary>
    BadRequest = 400,

    /// <summary>403: no signature by a key the witness trusts for the origin verifies.</summary>
    Forbidden = 403,

    /// <summary>404: the witness does not know the checkpoint's origin.</summary>
    UnknownOrigin = 404,

    /// <summary>409: the old size is not the witness's size (the body says which), or the same size came with another root.</summary>
    Conflict = 409,

    /// <summary>422: the consistency proof from the witness's checkpoint to the new one does not verify.</summary>
    BadProof = 422,
}
