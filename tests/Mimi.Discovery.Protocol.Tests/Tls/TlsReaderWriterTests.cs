using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Tls;

public class TlsReaderWriterTests
{
    private static byte[] Write(Action<TlsWriter> write)
    {
        using var w = new TlsWriter(16);
        write(w);
        return w.ToArray();
    }

    [Fact]
    public void Integers_are_big_endian()
    {
        var bytes = Write(w =>
        {
            w.WriteUInt8(0x01);
            w.WriteUInt16(0x0203);
            w.WriteUInt24(0x040506);
            w.WriteUInt32(0x0708090a);
            w.WriteUInt64(0x0b0c0d0e0f101112);
        });
        Assert.Equal("0102030405060708090a0b0c0d0e0f101112", Convert.ToHexStringLower(bytes));

        var r = new TlsReader(bytes);
        Assert.True(r.TryReadUInt8("a", out var a) && a == 0x01);
        Assert.True(r.TryReadUInt16("b", out var b) && b == 0x0203);
        Assert.True(r.TryReadUInt24("c", out var c) && c == 0x040506);
        Assert.True(r.TryReadUInt32("d", out var d) && d == 0x0708090a);
        Assert.True(r.TryReadUInt64("e", out var e) && e == 0x0b0c0d0e0f101112);
        Assert.True(r.TryFinish("root"));
    }

    public static TheoryData<TlsLengthPrefix, string> Prefixes => new()
    {
        { TlsLengthPrefix.UInt8, "03" },
        { TlsLengthPrefix.UInt16, "0003" },
        { TlsLengthPrefix.UInt24, "000003" },
        { TlsLengthPrefix.UInt32, "00000003" },
        { TlsLengthPrefix.Varint, "03" },
    };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Opaque_vectors_carry_their_prefix(TlsLengthPrefix prefix, string header)
    {
        var bytes = Write(w => w.WriteOpaque([0xaa, 0xbb, 0xcc], prefix));
        Assert.Equal(header + "aabbcc", Convert.ToHexStringLower(bytes));
        var r = new TlsReader(bytes);
        Assert.True(r.TryReadOpaque("v", prefix, out ByteString value));
        Assert.Equal("aabbcc", value.ToHex());
    }

    [Property(MaxTest = 300)]
    public Property Nested_varint_vectors_widen_their_prefix_correctly() =>
        Prop.ForAll(Gen.Choose(0, 20000).ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (inner, outerExtra) =>
        {
            var payload = new byte[inner];
            Random.Shared.NextBytes(payload);
            var bytes = Write(w =>
            {
                var outer = w.BeginVector(TlsLengthPrefix.Varint);
                w.WriteBytes(new byte[outerExtra]);
                var nested = w.BeginVector(TlsLengthPrefix.Varint);
                w.WriteBytes(payload);
                w.EndVector(nested);
                w.EndVector(outer);
            });

            var r = new TlsReader(bytes);
            Assert.True(r.TryEnterVector("outer", TlsLengthPrefix.Varint, -1, out var scope));
            Assert.True(r.TrySkip("extra", outerExtra));
            Assert.True(r.TryReadOpaque("inner", TlsLengthPrefix.Varint, out ReadOnlySpan<byte> read));
            Assert.True(read.SequenceEqual(payload));
            Assert.True(r.TryExitVector("outer", scope));
            Assert.True(r.TryFinish("root"));
        });

    [Fact]
    public void A_length_over_the_declared_maximum_fails_with_field_and_offset()
    {
        var bytes = Write(w =>
        {
            w.WriteUInt8(7);
            w.WriteOpaque(new byte[10], TlsLengthPrefix.UInt16);
        });
        var r = new TlsReader(bytes);
        Assert.True(r.TryReadUInt8("first", out _));
        Assert.False(r.TryReadOpaque("name", TlsLengthPrefix.UInt16, out ReadOnlySpan<byte> _, maxLength: 8));
        Assert.Equal(new TlsError(TlsErrorKind.LengthOverMaximum, "name", 1, "length 10, maximum 8"), r.Error);
    }

    [Fact]
    public void A_length_beyond_the_input_is_truncated_not_an_exception()
    {
        var r = new TlsReader(Convert.FromHexString("7fffffff00"));
        Assert.False(r.TryReadOpaque("blob", TlsLengthPrefix.UInt32, out ReadOnlySpan<byte> _));
        Assert.Equal(TlsErrorKind.Truncated, r.Error.Kind);
        Assert.Equal(0, r.Error.Offset);
    }

    [Fact]
    public void The_first_error_sticks()
    {
        var r = new TlsReader([0x05]);
        Assert.False(r.TryReadUInt16("a", out _));
        Assert.False(r.TryReadUInt8("b", out _));
        Assert.Equal("a", r.Error.Field);
    }

    [Fact]
    public void Presence_octets_other_than_0_or_1_are_malformed()
    {
        var r = new TlsReader([0x02]);
        Assert.False(r.TryReadPresence("opt", out _));
        Assert.Equal(TlsErrorKind.InvalidValue, r.Error.Kind);
    }

    [Fact]
    public void Unknown_enum_values_fail_where_the_enum_is_closed()
    {
        var r = new TlsReader([0x09]);
        Assert.False(r.TryReadEnum8("userStatus", out KeyMaterialUserCode _));
        Assert.Equal(TlsErrorKind.UnknownEnumValue, r.Error.Kind);
    }

    [Fact]
    public void Text_fields_must_be_utf8()
    {
        var r = new TlsReader([0x02, 0xc3, 0x28]);
        Assert.False(r.TryReadUtf8("note", TlsLengthPrefix.Varint, out _));
        Assert.Equal(TlsErrorKind.InvalidUtf8, r.Error.Kind);
    }

    [Fact]
    public void Vector_contents_must_be_consumed_exactly()
    {
        // A vector of uint16 with an odd length: the last element is cut by the vector's end.
        var r = new TlsReader([0x03, 0x00, 0x01, 0x02]);
        Assert.False(r.TryReadVector<ushort>("codes", TlsLengthPrefix.Varint, (ref TlsReader x, out ushort v) => x.TryReadUInt16("code", out v), out _));
        Assert.Equal(TlsErrorKind.Truncated, r.Error.Kind);
        Assert.Equal("codes[1].code", r.Error.Field);
        Assert.Equal(3, r.Error.Offset);
    }

    [Fact]
    public void The_total_size_limit_is_checked_first()
    {
        var r = new TlsReader(new byte[100], new TlsReaderOptions { MaxInputLength = 99 });
        Assert.False(r.TryReadUInt8("x", out _));
        Assert.Equal(TlsErrorKind.TotalSizeExceeded, r.Error.Kind);
    }

    [Fact]
    public void Writing_more_than_a_prefix_allows_is_a_programming_error()
    {
        using var w = new TlsWriter();
        Assert.Throws<ArgumentException>(() => w.WriteOpaque(new byte[256], TlsLengthPrefix.UInt8));
        var scope = w.BeginVector(TlsLengthPrefix.UInt8, maxLength: 2);
        w.WriteBytes([1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => w.EndVector(scope));
    }

    [Fact]
    public void The_writer_copies_to_a_buffer_writer()
    {
        using var w = new TlsWriter();
        w.WriteOpaque(new byte[300], TlsLengthPrefix.Varint);
        var sink = new System.Buffers.ArrayBufferWriter<byte>();
        w.CopyTo(sink);
        Assert.Equal(302, sink.WrittenCount);
        Assert.Equal(0x41, sink.WrittenSpan[0]);
    }
}
