using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>
/// System.Net.Http and IHttpClientFactory types, resolved once per compilation.
/// <c>SocketsHttpHandler</c> exists from .NET Core 2.1 on (null on .NET Framework and netstandard);
/// <c>HttpClientBuilderExtensions</c> and <c>HttpClientFactoryOptions</c> come with Microsoft.Extensions.Http 2.1 and later.
/// </summary>
public sealed class HttpTypes
{
    internal HttpTypes(Compilation compilation)
    {
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpMessageHandler = compilation.GetTypeByMetadataName("System.Net.Http.HttpMessageHandler");
        HttpClientHandler = compilation.GetTypeByMetadataName("System.Net.Http.HttpClientHandler");
        SocketsHttpHandler = compilation.GetTypeByMetadataName("System.Net.Http.SocketsHttpHandler");
        DelegatingHandler = compilation.GetTypeByMetadataName("System.Net.Http.DelegatingHandler");
        Timeout = compilation.GetTypeByMetadataName("System.Threading.Timeout");
        HttpClientBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions");
        HttpClientFactoryOptions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.HttpClientFactoryOptions");

        // Blazor WebAssembly sends through the browser's fetch, Android and iOS through the platform's own stack:
        // there HttpClient's default handler does not pool sockets itself.
        UsesPlatformHandler =
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Components.WebAssembly.Hosting.WebAssemblyHostBuilder") is not null
            || compilation.GetTypeByMetadataName("Xamarin.Android.Net.AndroidMessageHandler") is not null
            || compilation.GetTypeByMetadataName("Xamarin.Android.Net.AndroidClientHandler") is not null
            || compilation.GetTypeByMetadataName("System.Net.Http.NSUrlSessionHandler") is not null;
    }

    /// <summary>The platform, not SocketsHttpHandler, owns HttpClient's connections (browser, Android, iOS).</summary>
    public bool UsesPlatformHandler { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpMessageHandler { get; }

    public INamedTypeSymbol? HttpClientHandler { get; }

    public INamedTypeSymbol? SocketsHttpHandler { get; }

    public INamedTypeSymbol? DelegatingHandler { get; }

    public INamedTypeSymbol? Timeout { get; }

    public INamedTypeSymbol? HttpClientBuilderExtensions { get; }

    public INamedTypeSymbol? HttpClientFactoryOptions { get; }
}
