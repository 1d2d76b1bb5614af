using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tests.Support;

namespace Mimi.Discovery.Protocol.Tests.Messages;

/// <summary>
/// For every MIMI structure: generated values round-trip exactly; every truncation, a trailing byte and a size
/// limit below the body fail as values; random byte flips never throw.
/// </summary>
public class MessageProperties
{
    private static Property RoundTrip<T>(Gen<T> gen, Func<T, byte[]> encode, TryDecode<T> decode)
        where T : class =>
        Prop.ForAll(gen.ToArbitrary(), value => Codec.RoundTrips(value, encode, decode));

    private static Property Hostile<T>(Gen<T> gen, Func<T, byte[]> encode, TryDecode<T> decode)
        where T : class =>
        Prop.ForAll(gen.ToArbitrary(), value =>
        {
            Codec.RejectsTruncationAndTrailingBytes(value, encode, decode);
            Codec.RespectsTotalSizeLimit(value, encode, decode);
            Codec.SurvivesByteFlips(value, encode, decode, value.GetHashCode());
        });

    [Property(MaxTest = 100)]
    public Property KeyMaterialRequest_round_trips() => RoundTrip(MimiGen.KeyMaterialRequest, x => x.Encode(), KeyMaterialRequest.TryDecode);

    [Property(MaxTest = 25)]
    public Property KeyMaterialRequest_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.KeyMaterialRequest, x => x.Encode(), KeyMaterialRequest.TryDecode);

    [Property(MaxTest = 100)]
    public Property KeyMaterialResponse_round_trips() => RoundTrip(MimiGen.KeyMaterialResponse, x => x.Encode(), KeyMaterialResponse.TryDecode);

    [Property(MaxTest = 25)]
    public Property KeyMaterialResponse_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.KeyMaterialResponse, x => x.Encode(), KeyMaterialResponse.TryDecode);

    [Property(MaxTest = 100)]
    public Property ConsentScope_round_trips() => RoundTrip(MimiGen.ConsentScope, x => x.Encode(), ConsentScope.TryDecode);

    [Property(MaxTest = 25)]
    public Property ConsentScope_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.ConsentScope, x => x.Encode(), ConsentScope.TryDecode);

    [Property(MaxTest = 100)]
    public Property ConsentEntry_round_trips() => RoundTrip(MimiGen.ConsentEntry, x => x.Encode(), ConsentEntry.TryDecode);

    [Property(MaxTest = 25)]
    public Property ConsentEntry_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.ConsentEntry, x => x.Encode(), ConsentEntry.TryDecode);

    [Property(MaxTest = 100)]
    public Property UpdateRequest_round_trips() => RoundTrip(MimiGen.UpdateRequest, x => x.Encode(), UpdateRequest.TryDecode);

    [Property(MaxTest = 25)]
    public Property UpdateRequest_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.UpdateRequest, x => x.Encode(), UpdateRequest.TryDecode);

    [Property(MaxTest = 100)]
    public Property UpdateRoomResponse_round_trips() => RoundTrip(MimiGen.UpdateRoomResponse, x => x.Encode(), UpdateRoomResponse.TryDecode);

    [Property(MaxTest = 25)]
    public Property UpdateRoomResponse_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.UpdateRoomResponse, x => x.Encode(), UpdateRoomResponse.TryDecode);

    [Property(MaxTest = 100)]
    public Property SubmitMessageRequest_round_trips() => RoundTrip(MimiGen.SubmitMessageRequest, x => x.Encode(), SubmitMessageRequest.TryDecode);

    [Property(MaxTest = 25)]
    public Property SubmitMessageRequest_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.SubmitMessageRequest, x => x.Encode(), SubmitMessageRequest.TryDecode);

    [Property(MaxTest = 100)]
    public Property SubmitMessageResponse_round_trips() => RoundTrip(MimiGen.SubmitMessageResponse, x => x.Encode(), SubmitMessageResponse.TryDecode);

    [Property(MaxTest = 25)]
    public Property SubmitMessageResponse_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.SubmitMessageResponse, x => x.Encode(), SubmitMessageResponse.TryDecode);

    [Property(MaxTest = 100)]
    public Property FanoutMessage_round_trips() => RoundTrip(MimiGen.FanoutMessage, x => x.Encode(), FanoutMessage.TryDecode);

    [Property(MaxTest = 25)]
    public Property FanoutMessage_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.FanoutMessage, x => x.Encode(), FanoutMessage.TryDecode);

    [Property(MaxTest = 100)]
    public Property GroupInfoRequest_round_trips() => RoundTrip(MimiGen.GroupInfoRequest, x => x.Encode(), GroupInfoRequest.TryDecode);

    [Property(MaxTest = 25)]
    public Property GroupInfoRequest_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.GroupInfoRequest, x => x.Encode(), GroupInfoRequest.TryDecode);

    [Property(MaxTest = 100)]
    public Property GroupInfoResponse_round_trips() => RoundTrip(MimiGen.GroupInfoResponse, x => x.Encode(), GroupInfoResponse.TryDecode);

    [Property(MaxTest = 25)]
    public Property GroupInfoResponse_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.GroupInfoResponse, x => x.Encode(), GroupInfoResponse.TryDecode);

    [Property(MaxTest = 100)]
    public Property GroupInfoRatchetTreeTbe_round_trips() => RoundTrip(MimiGen.GroupInfoRatchetTreeTbe, x => x.Encode(), GroupInfoRatchetTreeTbe.TryDecode);

    [Property(MaxTest = 25)]
    public Property GroupInfoRatchetTreeTbe_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.GroupInfoRatchetTreeTbe, x => x.Encode(), GroupInfoRatchetTreeTbe.TryDecode);

    [Property(MaxTest = 100)]
    public Property IdentifierRequest_round_trips() => RoundTrip(MimiGen.IdentifierRequest, x => x.Encode(), IdentifierRequest.TryDecode);

    [Property(MaxTest = 25)]
    public Property IdentifierRequest_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.IdentifierRequest, x => x.Encode(), IdentifierRequest.TryDecode);

    [Property(MaxTest = 100)]
    public Property IdentifierResponse_round_trips() => RoundTrip(MimiGen.IdentifierResponse, x => x.Encode(), IdentifierResponse.TryDecode);

    [Property(MaxTest = 25)]
    public Property IdentifierResponse_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.IdentifierResponse, x => x.Encode(), IdentifierResponse.TryDecode);

    [Property(MaxTest = 100)]
    public Property AbuseReport_round_trips() => RoundTrip(MimiGen.AbuseReport, x => x.Encode(), AbuseReport.TryDecode);

    [Property(MaxTest = 25)]
    public Property AbuseReport_rejects_truncated_oversized_and_trailing_input() => Hostile(MimiGen.AbuseReport, x => x.Encode(), AbuseReport.TryDecode);
}
