using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.WebhookFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class WebhookClientConfigValidationTests
{
    private const string DesiredFormat = "; desired format: https://host[/path]";

    private static IEnumerable<string> UrlErrors(string url)
    {
        var hook = ValidatingHook();
        hook.ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url };
        return Errors(hook);
    }

    private static IEnumerable<string> ServiceErrors(Admissionregistrationv1ServiceReference service)
    {
        var hook = ValidatingHook();
        hook.ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = service };
        return Errors(hook);
    }

    private static Admissionregistrationv1ServiceReference Service(string? path = null, int? port = null) =>
        new() { Name = "policy", NamespaceProperty = "policy-system", Path = path, Port = port };

    [Fact]
    public void A_webhook_is_reached_by_a_url_or_a_service()
    {
        var hook = ValidatingHook();
        hook.ClientConfig = new Admissionregistrationv1WebhookClientConfig();

        Assert.Equal(["webhooks[0].clientConfig: Required value: exactly one of url or service is required"], Errors(hook));
    }

    [Fact]
    public void A_webhook_is_not_reached_by_both_a_url_and_a_service()
    {
        var hook = ValidatingHook();
        hook.ClientConfig.Url = "https://policy.example.com/validate";

        Assert.Equal(["webhooks[0].clientConfig: Required value: exactly one of url or service is required"], Errors(hook));
    }

    [Theory]
    [InlineData("https://policy.example.com")]
    [InlineData("https://policy.example.com:8443/validate/pods")]
    [InlineData("https://10.0.0.9/validate")]
    [InlineData("https://[::1]:443/")]
    public void An_https_url_with_a_host_is_valid(string url)
    {
        Assert.Empty(UrlErrors(url));
    }

    [Fact]
    public void Https_is_the_only_scheme()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme" + DesiredFormat],
            UrlErrors("http://policy.example.com/validate"));
    }

    [Fact]
    public void A_url_names_its_host()
    {
        Assert.Equal(["webhooks[0].clientConfig.url: Invalid value: \"\": host must be provided" + DesiredFormat], UrlErrors("https:///validate"));
    }

    [Fact]
    public void A_url_without_a_scheme_has_neither_scheme_nor_host()
    {
        Assert.Equal(
            [
                "webhooks[0].clientConfig.url: Invalid value: \"\": 'https' is the only allowed URL scheme" + DesiredFormat,
                "webhooks[0].clientConfig.url: Invalid value: \"\": host must be provided" + DesiredFormat,
            ],
            UrlErrors("policy.example.com/validate"));
    }

    [Fact]
    public void A_url_carries_no_user_information()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.url: Invalid value: \"admin:secret\": user information is not permitted in the URL"],
            UrlErrors("https://admin:secret@policy.example.com/validate"));
    }

    [Fact]
    public void A_url_carries_no_fragment()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.url: Invalid value: \"top\": fragments are not permitted in the URL"],
            UrlErrors("https://policy.example.com/validate#top"));
    }

    [Fact]
    public void A_url_carries_no_query()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.url: Invalid value: \"timeout=5s\": query parameters are not permitted in the URL"],
            UrlErrors("https://policy.example.com/validate?timeout=5s"));
    }

    [Fact]
    public void A_url_go_cannot_parse_is_reported_with_gos_words()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.url: Required value: url must be a valid URL: parse \"https://policy.example.com:https/validate\": invalid port \":https\" after host" + DesiredFormat],
            UrlErrors("https://policy.example.com:https/validate"));
    }

    [Theory]
    [InlineData("://policy.example.com", "missing protocol scheme")]
    [InlineData("https://policy example.com/", "invalid character \\\" \\\" in host name")]
    [InlineData("https://policy.example.com/%zz", "invalid URL escape \\\"%zz\\\"")]
    public void Unparseable_urls_name_what_go_found(string url, string problem)
    {
        Assert.Equal(
            [$"webhooks[0].clientConfig.url: Required value: url must be a valid URL: parse \"{url}\": {problem.Replace("\\\"", "\"", StringComparison.Ordinal)}" + DesiredFormat],
            UrlErrors(url));
    }

    [Fact]
    public void A_service_defaults_to_port_443_and_the_root_path()
    {
        Assert.Empty(ServiceErrors(Service()));
    }

    [Fact]
    public void A_service_names_its_namespace_where_kube_reports_the_name()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.service.name: Required value: service name is required"],
            ServiceErrors(new Admissionregistrationv1ServiceReference { Name = "policy" }));
    }

    [Fact]
    public void A_service_names_itself_where_kube_reports_the_namespace()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.service.namespace: Required value: service namespace is required"],
            ServiceErrors(new Admissionregistrationv1ServiceReference { NamespaceProperty = "policy-system" }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void A_service_port_is_a_port_number(int port)
    {
        Assert.Equal(
            [$"webhooks[0].clientConfig.service.port: Invalid value: {port}: port is not valid: must be between 1 and 65535, inclusive"],
            ServiceErrors(Service(port: port)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/validate")]
    [InlineData("/validate/pods.v1/")]
    public void A_service_path_of_subdomain_segments_is_valid(string path)
    {
        Assert.Empty(ServiceErrors(Service(path)));
    }

    [Fact]
    public void A_service_path_starts_with_a_slash()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.service.path: Invalid value: \"validate\": must start with a '/'"],
            ServiceErrors(Service("validate")));
    }

    [Fact]
    public void A_service_path_has_no_empty_segments()
    {
        Assert.Equal(
            ["webhooks[0].clientConfig.service.path: Invalid value: \"/a//b\": segment[1] may not be empty"],
            ServiceErrors(Service("/a//b")));
        Assert.Equal(
            ["webhooks[0].clientConfig.service.path: Invalid value: \"//\": segment[0] may not be empty"],
            ServiceErrors(Service("//")));
    }

    [Fact]
    public void A_service_path_segment_is_a_dns_subdomain()
    {
        Assert.Single(ServiceErrors(Service("/validate/Pods")), e => e.StartsWith(
            "webhooks[0].clientConfig.service.path: Invalid value: \"/validate/Pods\": segment[1]: a lowercase RFC 1123 subdomain", StringComparison.Ordinal));
    }
}
