using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Authority;

/// <summary>
/// Every route that takes a serial accepts it as <c>openssl x509 -serial</c> prints it (upper case), and acts on the
/// credential it names: the ownership check and the write see the same, canonical serial.
/// </summary>
public sealed class SerialRouteTests : IDisposable
{
    private const string Bob = "tel:+15550001111";
    private readonly ServiceFactory _service = new();
    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _service.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task Regression_uppercase_serial_changes_discoverability()
    {
        var (beta, alpha, serial) = await IssueAsync();

        await beta.SetDiscoverabilityAsync(serial.ToUpperInvariant(), "nobody");

        Assert.Equal("none", (await alpha.LookupAsync([Bob])).Results[0].Status);
    }

    [Fact]
    public async Task Regression_uppercase_serial_removes_the_mapping()
    {
        var (beta, alpha, serial) = await IssueAsync();

        await beta.RemoveMappingAsync(serial.ToUpperInvariant());

        Assert.Equal("none", (await alpha.LookupAsync([Bob])).Results[0].Status);
        var again = await Assert.ThrowsAsync<MimiApiException>(() => beta.RemoveMappingAsync(serial));
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task An_uppercase_serial_reads_and_revokes_the_credential_and_the_crl_lists_it()
    {
        var (beta, _, serial) = await IssueAsync();

        var read = await beta.GetCredentialAsync(serial.ToUpperInvariant());
        var revoked = await beta.RevokeCredentialAsync(serial.ToUpperInvariant(), "superseded");

        Assert.Equal(serial, read.Serial);
        Assert.Equal(serial, revoked.Serial);
        Assert.NotNull((await beta.GetCredentialAsync(serial)).RevokedAt);
        var crl = Path.Combine(_service.DataDirectory, "int.crl");
        await File.WriteAllBytesAsync(crl, await _service.CreateClient().GetByteArrayAsync("/ca/intermediate.crl"));
        var (code, text) = await Tools.RunAsync("openssl", $"crl -inform DER -in {crl} -noout -text");
        Assert.Equal(0, code);
        Assert.Contains("Serial Number: " + serial.ToUpperInvariant(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serials_with_colons_and_leading_zeros_name_the_same_credential()
    {
        var (beta, _, serial) = await IssueAsync();
        var colons = string.Join(':', Enumerable.Range(0, serial.Length / 2).Select(i => serial.Substring(2 * i, 2).ToUpperInvariant()));

        Assert.Equal(serial, (await beta.GetCredentialAsync(colons)).Serial);
        Assert.Equal(serial, (await beta.GetCredentialAsync("00" + serial)).Serial);
    }

    [Theory]
    [InlineData("GET", "/v1/authority/credentials/{0}")]
    [InlineData("POST", "/v1/authority/credentials/{0}/revoke")]
    [InlineData("PUT", "/v1/mappings/{0}/discoverability")]
    [InlineData("DELETE", "/v1/mappings/{0}")]
    public async Task A_serial_that_is_not_hex_is_a_400_naming_the_serial(string method, string route)
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        using var http = _service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await beta.GetAccessTokenAsync());

        foreach (var bad in new[] { "not-a-serial", "4a0g", "00", new string('a', 65) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, route, bad));
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent(method == "PUT" ? """{"mode":"nobody"}""" : "{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("urn:mimi-discovery:problem:invalid-request", body.GetProperty("type").GetString());
            Assert.Equal("serial", body.GetProperty("field").GetString());
        }
    }

    private async Task<(MimiDiscoveryClient Beta, MimiDiscoveryClient Alpha, string Serial)> IssueAsync()
    {
        var (beta, _) = await _service.EnrolAsync("beta.test", trusted: true);
        var (alpha, _) = await _service.EnrolAsync("alpha.test");
        var credential = await beta.IssueCredentialAsync(Bob, "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, attested: true);
        Assert.Equal("found", (await alpha.LookupAsync([Bob])).Results[0].Status);
        Assert.Matches("^[0-9a-f]+$", credential.Serial);
        return (beta, alpha, credential.Serial);
    }
}
