using System.Diagnostics.CodeAnalysis;

namespace Mimi.Discovery.Oprf;

/// <summary>A value decoded or computed from untrusted input, or the reason it could not be.</summary>
/// <typeparam name="T">The type of the value on success.</typeparam>
public readonly struct OprfResult<T>
    where T : class
{
    private OprfResult(OprfStatus status, T? value)
    {
        Status = status;
        Value = value;
    }

    /// <summary><see cref="OprfStatus.Success"/>, or why the input was refused.</summary>
    public OprfStatus Status { get; }

    /// <summary>The value; not null exactly when <see cref="IsSuccess"/> is true.</summary>
    public T? Value { get; }

    /// <summary>Whether <see cref="Value"/> holds a result.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Status == OprfStatus.Success;

    internal static OprfResult<T> Success(T value) => new(OprfStatus.Success, value);

    internal static OprfResult<T> Failure(OprfStatus status)
    {
        if (status == OprfStatus.Success)
        {
            throw new ArgumentOutOfRangeException(nameof(status), "A failure needs a failure status.");
        }

        return new OprfResult<T>(status, null);
    }
}
