namespace Mimi.Discovery.Oprf;

/// <summary>
/// Outcome of an operation on untrusted input. Everything a peer can send wrongly is reported as a value,
/// never as an exception, so a service can map it to a client error cheaply.
/// </summary>
public enum OprfStatus
{
    /// <summary>The input was valid and the operation completed.</summary>
    Success = 0,

    /// <summary>The input has the wrong number of bytes for what it claims to hold.</summary>
    InvalidLength,

    /// <summary>The bytes are not a canonical encoding: an unknown point prefix, a coordinate not below the field prime, or a scalar not below the group order.</summary>
    InvalidEncoding,

    /// <summary>The x-coordinate names no point of P-256.</summary>
    NotOnCurve,

    /// <summary>The encoding is the point at infinity, which RFC 9497 forbids on the wire.</summary>
    Identity,

    /// <summary>A batch holds no element.</summary>
    EmptyBatch,

    /// <summary>A batch holds more elements than the caller allows.</summary>
    BatchTooLarge,

    /// <summary>The evaluation does not answer as many elements as were blinded.</summary>
    BatchSizeMismatch,

    /// <summary>The message was made for another protocol mode than the one in use.</summary>
    ModeMismatch,

    /// <summary>The DLEQ proof does not show that the evaluation used the expected server key.</summary>
    InvalidProof,
}
