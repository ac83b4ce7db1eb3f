using Microsoft.Extensions.Options;

namespace CollectionWorker.Campaign;

public sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignOptions o)
    {
        var errors = new List<string>();
        const string s = CampaignOptions.Section;

        if (!CampaignClock.TryFindZone(o.TimeZone, out _))
            errors.Add($"{s}:TimeZone = '{o.TimeZone}' is not a known time zone; use an IANA name such as 'Asia/Shanghai'.");
        if (o.PreparationEnd < o.PreparationStart)
            errors.Add($"{s}:PreparationEnd = {o.PreparationEnd:O} is before {s}:PreparationStart = {o.PreparationStart:O}; the end must not be earlier than the start.");
        if (o.UploadEnd <= o.UploadStart)
            errors.Add($"{s}:UploadEnd = {o.UploadEnd:O} is not after {s}:UploadStart = {o.UploadStart:O}; the upload window must have a positive length (end is exclusive).");
        if (o.ReviewSla <= TimeSpan.Zero || o.ReviewSla > TimeSpan.FromDays(30))
            errors.Add($"{s}:ReviewSla = {o.ReviewSla} is out of range; allowed: more than 0 and at most 30.00:00:00 (default 2.00:00:00 = 48 h).");
        if (o.ResubmissionPeriod <= TimeSpan.Zero || o.ResubmissionPeriod > TimeSpan.FromDays(30))
            errors.Add($"{s}:ResubmissionPeriod = {o.ResubmissionPeriod} is out of range; allowed: more than 0 and at most 30.00:00:00 (default 2.00:00:00 = 48 h).");
        if (o.FeeYuan < 0)
            errors.Add($"{s}:FeeYuan = {o.FeeYuan} is negative; allowed: 0 or more.");

        if (o.EligibleCohorts is { Count: 0 })
            errors.Add($"{s}:EligibleCohorts is empty; list at least one {{ \"School\", \"Grade\", \"Track\" }} or remove the key to use the notice's five cohorts.");
        for (var i = 0; i < (o.EligibleCohorts?.Count ?? 0); i++)
        {
            var c = o.EligibleCohorts![i];
            if (string.IsNullOrWhiteSpace(c.School))
                errors.Add($"{s}:EligibleCohorts:{i}:School is empty; every cohort needs a school (办学单位), e.g. '广东理工职业学院'.");
            if (string.IsNullOrWhiteSpace(c.Grade) || CohortMatcher.ParseGrade(c.Grade) is null)
                errors.Add($"{s}:EligibleCohorts:{i}:Grade = '{c.Grade}' is not a grade; allowed: a year with optional term, e.g. '2021级', '20级', '2020秋', '2021春'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
