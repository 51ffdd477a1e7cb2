using System.Reflection;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;

namespace ChatOpsIncident.Core.Tests.Incidents;

public sealed class IncidentCopyTests
{
    [Fact]
    public void Copy_CarriesEveryProperty_AndIsIndependent()
    {
        var original = new Incident { Title = "t", Severity = "s", Type = "y", Platform = "p", DeclaredBy = new UserRef("U") };
        var settable = typeof(Incident).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var property in settable)
        {
            property.SetValue(original, NonDefault(property.PropertyType));
        }

        var copy = original.Copy();

        Assert.NotSame(original, copy);
        Assert.All(settable, p => Assert.Equal(p.GetValue(original), p.GetValue(copy)));
        Assert.All(settable, p => Assert.NotEqual(Default(p.PropertyType), p.GetValue(copy)));
        copy.Title = "changed";
        Assert.Equal("non-default", original.Title);
    }

    private static object NonDefault(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => Guid.Parse("0195a1b2-0000-7000-8000-0000000000ff"),
        var t when t == typeof(int) => 17,
        var t when t == typeof(string) => "non-default",
        var t when t == typeof(bool) => true,
        var t when t == typeof(DateTimeOffset) => new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        var t when t == typeof(UserRef) => new UserRef("U0X", "x"),
        var t when t == typeof(IncidentStatus) => IncidentStatus.Monitoring,
        var t => throw new InvalidOperationException($"Incident gained a property of type {t}: teach this test a non-default value for it."),
    };

    private static object? Default(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
}

public sealed class BackoffTests
{
    private sealed class FixedJitter(double fraction) : IRetryJitter
    {
        public double NextFraction() => fraction;
    }

    [Theory]
    [InlineData(1, 0.0, 0)]
    [InlineData(1, 0.999, 9)]
    [InlineData(3, 0.5, 15)]
    [InlineData(9, 0.999, 49)]
    public void Conflict_UpTo10MsPerAttempt_Below50(int attempt, double fraction, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Conflict(attempt, new FixedJitter(fraction)));
    }

    [Fact]
    public void For_HalfToFullCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.For(3, new FixedJitter(0)));
        Assert.Equal(TimeSpan.FromSeconds(300), Backoff.For(20, new FixedJitter(1)));
    }
}
