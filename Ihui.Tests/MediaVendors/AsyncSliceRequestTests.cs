using FluentValidation.TestHelper;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Jimeng;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Suno;
using Ihui.Features.Jimeng.JimengImageToVideo;
using Ihui.Features.Jimeng.JimengTextToVideo;
using Ihui.Features.Kling.KlingGenerate;
using Ihui.Features.Suno.SunoGenerateMusic;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.MediaVendors;

/// <summary>
/// The request, validator and task-submission code of the asynchronous slices (#16–#21); the routes are tested through
/// HTTP in <c>MediaTaskSliceTests</c>. The submissions' payloads are the ones the task vendors were tested with against the fakes.
/// </summary>
public sealed class AsyncSliceRequestTests
{
    /// <summary>Wire (snake_case) names, as the host reports them, whatever resolver the test process has.</summary>
    private static void Fails<T>(TestValidationResult<T> result, string wireField) =>
        Assert.Contains(wireField, result.Errors.Select(e => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.PropertyName)));

    [Theory]
    [InlineData("jimeng_i2v_first_v30", 1)]
    [InlineData("jimeng_i2v_recamera_v30", 1)]
    [InlineData("jimeng_i2v_first_tail_v30", 2)]
    public void Jimeng_image_to_video_builds_a_priced_submission(string reqKey, int images)
    {
        var request = new JimengImageToVideoRequest
        {
            ReqKey = reqKey, Prompt = "让画面动起来", ImageUrl = "https://e.com/0.png",
            ImageUrls = images == 2 ? ["https://e.com/1.png"] : null, Size = "1024*1024", Duration = 10, IdempotencyKey = "idem-1",
        };
        new JimengImageToVideoValidator().TestValidate(request).ShouldNotHaveAnyValidationErrors();

        var submission = request.ToSubmission(TimeSpan.FromMinutes(30));

        Assert.Equal((JimengVideoTaskVendor.TaskKind, reqKey, 10m, "idem-1"), (submission.Kind, submission.PriceModel, submission.WorstCase.Seconds, submission.IdempotencyKey));
        Assert.Equal(reqKey, submission.Payload.GetProperty("req_key").GetString());
        Assert.Equal(images, submission.Payload.GetProperty("image_urls").GetArrayLength());
        Assert.Equal(241, submission.Payload.GetProperty("frames").GetInt32());
        Assert.Equal(reqKey, JimengVideoPayload.RequireReqKey(submission.Payload));
        Assert.Equal(TimeSpan.FromMinutes(30), submission.Deadline);
    }

    [Theory]
    [InlineData("jimeng_t2i_v40", "https://e.com/0.png", "req_key")]
    [InlineData("jimeng_t2v_v30_1080p", "https://e.com/0.png", "req_key")]
    [InlineData("jimeng_i2v_first_v30", "not a url", "image_url")]
    [InlineData("jimeng_i2v_first_v30", null, "image_url")]
    [InlineData("jimeng_i2v_first_tail_v30", "https://e.com/0.png", "image_url")]
    public void Jimeng_image_to_video_refuses_bad_input(string reqKey, string? imageUrl, string field)
    {
        var result = new JimengImageToVideoValidator().TestValidate(new JimengImageToVideoRequest { ReqKey = reqKey, Prompt = "p", ImageUrl = imageUrl });
        Fails(result, field);
    }

    [Fact]
    public void Jimeng_image_to_video_needs_a_prompt_and_a_known_duration()
    {
        var result = new JimengImageToVideoValidator().TestValidate(new JimengImageToVideoRequest
            { ReqKey = "jimeng_i2v_first_v30", ImageUrl = "https://e.com/0.png", Duration = 7 });
        Fails(result, "prompt");
        Fails(result, "duration");
    }

    [Fact]
    public void Jimeng_text_to_video_builds_a_submission_and_validates()
    {
        var request = new JimengTextToVideoRequest { Prompt = "海边日落", Model = "jimeng-t2v-1080p", Duration = 5, Resolution = "1080p", AspectRatio = "9:16" };
        new JimengTextToVideoValidator().TestValidate(request).ShouldNotHaveAnyValidationErrors();
        var submission = request.ToSubmission(TimeSpan.FromMinutes(30));
        Assert.Equal(("jimeng_t2v_v30_1080p", "9:16", 121), (submission.Payload.GetProperty("req_key").GetString(),
            submission.Payload.GetProperty("aspect_ratio").GetString(), submission.Payload.GetProperty("frames").GetInt32()));

        var bad = new JimengTextToVideoValidator().TestValidate(new JimengTextToVideoRequest { Resolution = "720p", Duration = 3, AspectRatio = "2:1" });
        Fails(bad, "prompt");
        Fails(bad, "resolution");
        Fails(bad, "duration");
        Fails(bad, "aspect_ratio");
    }

    [Fact]
    public void Kling_generate_maps_the_seed_model_and_duration_string()
    {
        var request = new KlingGenerateRequest { Prompt = "城市夜景", Model = "kling-o1", Duration = 10 };
        new KlingGenerateValidator().TestValidate(request).ShouldNotHaveAnyValidationErrors();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KlingModels:kling-o1-pro"] = "kling-v2-1-master" }).Build();
        Assert.Equal("kling-v2-6", KlingGenerateRequest.UpstreamModel("kling-o1", config));
        Assert.Equal("kling-v2-1-master", KlingGenerateRequest.UpstreamModel("kling-o1-pro", config));
        Assert.Null(KlingGenerateRequest.UpstreamModel("kling-unknown", config));

        var submission = request.ToSubmission("kling-v2-6", TimeSpan.FromMinutes(30));
        Assert.Equal((KlingTextToVideoTaskVendor.TaskKind, "kling-o1", 10m), (submission.Kind, submission.PriceModel, submission.WorstCase.Seconds));
        Assert.Equal(("kling-v2-6", "10"), (submission.Payload.GetProperty("model_name").GetString(), submission.Payload.GetProperty("duration").GetString()));

        var bad = new KlingGenerateValidator().TestValidate(new KlingGenerateRequest { Model = "gpt-4o", Duration = 8 });
        Fails(bad, "prompt");
        Fails(bad, "model");
        Fails(bad, "duration");
    }

    [Fact]
    public void Suno_generate_music_builds_a_per_task_submission()
    {
        var request = new SunoGenerateMusicRequest { Prompt = "关于月亮的歌", Model = "suno-v3", Duration = 30, Style = "lofi" };
        new SunoGenerateMusicValidator().TestValidate(request).ShouldNotHaveAnyValidationErrors();
        var submission = request.ToSubmission(TimeSpan.FromMinutes(30));
        Assert.Equal((SunoMusicTaskVendor.TaskKind, "suno-v3"), (submission.Kind, submission.PriceModel));
        Assert.Equal(default, submission.WorstCase with { Estimated = false });
        Assert.Equal(("chirp-v3-0", "lofi"), (submission.Payload.GetProperty("mv").GetString(), submission.Payload.GetProperty("tags").GetString()));
        Assert.False(submission.Payload.TryGetProperty("duration", out _));

        var bad = new SunoGenerateMusicValidator().TestValidate(new SunoGenerateMusicRequest { Model = "suno-v9", Duration = 0 });
        Fails(bad, "prompt");
        Fails(bad, "model");
        Fails(bad, "duration");
    }

    [Fact]
    public void Every_submission_kind_has_a_registered_task_vendor_kind() =>
        Assert.Equal(["jimeng.video", "kling.text2video", "suno.music"],
            new[] { JimengVideoTaskVendor.TaskKind, KlingTextToVideoTaskVendor.TaskKind, SunoMusicTaskVendor.TaskKind }.Order(StringComparer.Ordinal).ToArray());
}
