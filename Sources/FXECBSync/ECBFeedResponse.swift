import FXStorage

/// What a conditional GET of a feed brought back.
enum ECBFeedResponse {
    /// 304: the feed is unchanged since the validators sent.
    case notModified
    /// 200: the body and the validators to send next time.
    case fetched(body: [UInt8], validators: ECBFeedValidators)
}
