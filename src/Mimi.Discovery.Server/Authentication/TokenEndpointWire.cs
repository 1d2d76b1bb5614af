namespace Mimi.Discovery.Server.Authentication;

internal sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long ExpiresIn);

internal sealed record AuthorizationServerMetadata(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_methods_supported")] string[] AuthMethods,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] string[] SigningAlgorithms,
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_types_supported")] string[] GrantTypes,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri);
