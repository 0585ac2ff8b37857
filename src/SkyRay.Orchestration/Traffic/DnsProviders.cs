namespace SkyRay.Orchestration.Traffic;

/// <summary>
/// Settings of the explicit cloud provider each traffic record's DNS resource is declared on, so a record never depends on
/// the stack's default provider configuration (a stack may set no <c>aws:region</c> at all).
/// </summary>
public static class DnsProviders
{
    /// <summary>
    /// The region of the AWS provider for Route 53 records: Route 53 is a global service whose API endpoint is in
    /// us-east-1 (AWS General Reference, "Amazon Route 53 endpoints and quotas"); the provider still needs a region.
    /// </summary>
    public const string Route53Region = "us-east-1";
}
