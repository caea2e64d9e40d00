using Steward.Platform.Problems;

namespace Steward.Features.Webhooks;

// The expected failures of webhooks, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record WebhookEndpointInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "The endpoint is not valid 回调地址设置有误", "Correct the marked fields. 请更正标出的字段。", Errors);

public sealed record WebhookEndpointNotFound() : NotFoundError(
    "webhook-endpoint-not-found", "No such webhook endpoint 回调地址不存在", "There is no such webhook endpoint. 没有此回调地址。");

public sealed record WebhookDeliveryNotFound() : NotFoundError(
    "webhook-delivery-not-found", "No such delivery 投递记录不存在", "There is no such webhook delivery. 没有此投递记录。");

/// <summary>A delivery still being tried is not replayed: it would be sent twice.</summary>
public sealed record WebhookDeliveryPending() : ConflictError(
    "webhook-delivery-pending", "The delivery is still pending 该投递仍在进行中",
    "Replay a delivery once it was delivered or given up; this one is still being tried. 仅可重发已送达或已放弃的投递，此投递仍在重试中。");

public sealed record WebhookEndpointAlreadyPaused() : ConflictError(
    "webhook-endpoint-paused", "The endpoint is paused already 该回调地址已暂停", "The endpoint is paused already. 该回调地址已处于暂停状态。");

public sealed record WebhookEndpointNotPaused() : ConflictError(
    "webhook-endpoint-active", "The endpoint is active 该回调地址未暂停", "The endpoint is not paused. 该回调地址未处于暂停状态。");
