using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Review;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOpsIncident.Host.Web;

/// <summary>The server-rendered web pages (incident list, detail, postmortem, metrics) and the review API endpoints.</summary>
internal static class WebPagesExtensions
{
    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddSingleton<WebAccess>();
        services.Replace(ServiceDescriptor.Singleton<IReviewLinks, HostReviewLinks>());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "chatops.af";
            o.FormFieldName = "__af";
        });

        var web = configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions();
        if (!string.IsNullOrWhiteSpace(web.BaseUrl) && !PostmortemDraft.IsWebLink(web.BaseUrl))
        {
            throw new ConfigurationException($"Web:BaseUrl must be an absolute http(s) URL, not '{web.BaseUrl}'.");
        }

        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (!auth.Enabled)
        {
            return services;
        }

        if (!Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            throw new ConfigurationException("Auth:Authority must be an https URL (the OpenID Connect issuer).");
        }

        if (string.IsNullOrWhiteSpace(auth.ClientId))
        {
            throw new ConfigurationException("Auth:ClientId is required when Auth:Authority is set.");
        }

        if (string.IsNullOrWhiteSpace(auth.ClientSecret))
        {
            throw new ConfigurationException("Auth:ClientSecret is required when Auth:Authority is set.");
        }

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "chatops.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = auth.Authority;
                o.ClientId = auth.ClientId;
                o.ClientSecret = auth.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Scope.Add("email");
                // Keep the issuer's claim names (sub, email, https://slack.com/user_id, oid): participants are matched on them.
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.RequireHttpsMetadata = authority.Scheme == Uri.UriSchemeHttps;
                o.TokenValidationParameters.NameClaimType = "name";
                if (!string.IsNullOrWhiteSpace(web.BaseUrl))
                {
                    // Behind a TLS-terminating proxy the request looks like plain http: the public address is the truth.
                    var callback = web.BaseUrl.TrimEnd('/') + o.CallbackPath;
                    o.Events.OnRedirectToIdentityProvider = context =>
                    {
                        context.ProtocolMessage.RedirectUri = callback;
                        return Task.CompletedTask;
                    };
                }
            });
        return services;
    }

    public static IApplicationBuilder UseWebPages(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<WebAccess>().OidcEnabled)
        {
            app.UseAuthentication();
        }

        return app;
    }

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app)
    {
        WebEndpoints.MapPages(app);
        return app;
    }
}
