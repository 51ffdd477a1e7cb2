using System.Threading.RateLimiting;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Host.Api;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

/// <summary>The server-rendered web pages (incident list, detail, postmortem, metrics) and the review API endpoints.</summary>
internal static class WebPagesExtensions
{
    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<WebAccess>();
        // The sign-in forms take the admin token: a few tries per client address a minute, then 429.
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AdminToken.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 5, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.Replace(ServiceDescriptor.Singleton<IReviewLinks, HostReviewLinks>());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "chatops.af";
            o.FormFieldName = "__af";
        });

        // Sign-in is switched on by Auth:Authority; AuthOptionsValidator stops start-up when the rest is missing.
        if (string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.SectionName}:{nameof(AuthOptions.Authority)}"]))
        {
            return services;
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
                // Lax, not Strict: the issuer's redirect back and links from chat are cross-site navigations.
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure behind TLS: with forwarded headers honoured (README) the request is https exactly when the browser's was.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            })
            .AddOpenIdConnect();
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, IOptions<WebOptions>>((o, authOptions, webOptions) =>
            {
                // Read from the validated options, so a bad setting is reported by the validators, not here.
                var auth = authOptions.Value;
                var web = webOptions.Value;
                var authority = AuthOptionsValidator.AuthorityUri(auth) ?? throw new InvalidOperationException("Auth:Authority is not valid");
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
        var access = app.ApplicationServices.GetRequiredService<WebAccess>();
        if (access.IsClosed)
        {
            // Fail closed, but say so once, at start-up, so an operator is not left guessing at 401s.
            Log.SurfacesClosed(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebAccess)));
        }

        if (access.OidcEnabled)
        {
            app.UseAuthentication();
        }

        app.UseRateLimiter();
        return app;
    }

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app)
    {
        WebEndpoints.MapPages(app);
        AdminDeadLettersPage.Map(app);
        WebSignIn.Map(app);
        return app;
    }
}
