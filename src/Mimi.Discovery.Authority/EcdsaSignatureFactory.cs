using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;

namespace Mimi.Discovery.Authority;

/// <summary>
/// SHA256withECDSA for BouncyCastle's certificate and CRL generators, computed by
/// <see cref="ECDsa"/> (OpenSSL underneath) rather than BouncyCastle's managed ECDSA, which is
/// several times slower; issuance throughput depends on it. Signatures are DER
/// <c>Ecdsa-Sig-Value</c> sequences as X.509 requires (RFC 5758 section 3.2).
/// </summary>
internal sealed class EcdsaSignatureFactory : ISignatureFactory
{
    public static readonly AlgorithmIdentifier EcdsaWithSha256 = new(X9ObjectIdentifiers.ECDsaWithSha256);

    private readonly ECDsa _key;

    public EcdsaSignatureFactory(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            throw new ArgumentException("Issuer keys must be ECDSA P-256.", nameof(key));
        }

        _key = key;
    }

    public object AlgorithmDetails => EcdsaWithSha256;

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(_key);

    private sealed class Calculator(ECDsa key) : IStreamCalculator<IBlockResult>
    {
        private readonly HashingStream _stream = new();

        public Stream Stream => _stream;

        public IBlockResult GetResult()
        {
            // BouncyCastle disposes the stream before asking for the result; the hash survives it.
            return new SignatureResult(key.SignHash(_stream.Finish(), DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    private sealed class SignatureResult(byte[] signature) : IBlockResult
    {
        public byte[] Collect() => signature;

        public int Collect(byte[] buf, int off)
        {
            signature.CopyTo(buf, off);
            return signature.Length;
        }

        public int Collect(Span<byte> output)
        {
            signature.CopyTo(output);
            return signature.Length;
        }

        public int GetMaxResultLength() => signature.Length;
    }

    /// <summary>A write-only stream that hashes what is written, so the encoded TBS is never buffered.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[]? _digest;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] Finish()
        {
            if (_digest is null)
            {
                _digest = _hash.GetHashAndReset();
                _hash.Dispose();
            }

            return _digest;
        }

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override void WriteByte(byte value) => _hash.AppendData([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Finish();
            }

            base.Dispose(disposing);
        }
    }
}
