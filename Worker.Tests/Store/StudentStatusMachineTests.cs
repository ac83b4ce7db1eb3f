using CollectionWorker.Store;

namespace CollectionWorker.Tests.Store;

public class StudentStatusMachineTests
{
    private static readonly DateTimeOffset Now = new(2022, 5, 8, 4, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SubmissionState.Held, StudentStatus.AwaitingInspection)]
    [InlineData(SubmissionState.AwaitingInspection, StudentStatus.AwaitingInspection)]
    [InlineData(SubmissionState.AwaitingReview, StudentStatus.AwaitingReview)]
    [InlineData(SubmissionState.Approved, StudentStatus.Approved)]
    [InlineData(SubmissionState.Expired, StudentStatus.Expired)]
    public void Latest_submission_state_decides(SubmissionState state, StudentStatus expected)
    {
        Assert.Equal(expected, StudentStatusMachine.Decide(true, new LatestSubmission(state, null), Now));
    }

    [Fact]
    public void Not_eligible_wins_over_everything()
    {
        Assert.Equal(StudentStatus.NotEligible, StudentStatusMachine.Decide(false, new LatestSubmission(SubmissionState.Approved, null), Now));
        Assert.Equal(StudentStatus.NotSubmitted, StudentStatusMachine.Decide(true, null, Now));
    }

    [Fact]
    public void A_rejection_expires_exactly_at_its_deadline()
    {
        var deadline = Now.AddHours(48);
        var rejected = new LatestSubmission(SubmissionState.Rejected, deadline);
        Assert.Equal(StudentStatus.Rejected, StudentStatusMachine.Decide(true, rejected, deadline.AddMinutes(-1)));
        Assert.Equal(StudentStatus.Expired, StudentStatusMachine.Decide(true, rejected, deadline));
    }

    [Fact]
    public void Transitions_follow_the_workflow()
    {
        Assert.True(StudentStatusMachine.CanMove(SubmissionState.AwaitingInspection, SubmissionState.AwaitingReview));
        Assert.True(StudentStatusMachine.CanMove(SubmissionState.AwaitingReview, SubmissionState.Rejected));
        Assert.True(StudentStatusMachine.CanMove(SubmissionState.Rejected, SubmissionState.Superseded));
        Assert.False(StudentStatusMachine.CanMove(SubmissionState.Expired, SubmissionState.Superseded));
        Assert.False(StudentStatusMachine.CanMove(SubmissionState.Approved, SubmissionState.AwaitingReview));
        Assert.False(StudentStatusMachine.CanMove(SubmissionState.Superseded, SubmissionState.Approved));
    }

    [Fact]
    public void Every_state_round_trips_through_its_stored_text()
    {
        foreach (var s in Enum.GetValues<SubmissionState>())
            Assert.Equal(s, SubmissionStates.Parse(SubmissionStates.ToText(s)));
        Assert.Throws<FormatException>(() => SubmissionStates.Parse("approved-ish"));
    }
}
