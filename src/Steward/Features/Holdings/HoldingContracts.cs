namespace Steward.Features.Holdings;

/// <summary>One holding of a customer: the product (code and both names), balance, currency, the business date and the import that wrote it.</summary>
public sealed record HoldingDto(
    long Id, long ProductId, string ProductCode, string ProductName, string ProductNameEn, decimal Balance, string Currency, DateOnly AsOf, long ImportId, DateTimeOffset UpdatedAt);

/// <summary>A customer's holdings, by product code.</summary>
public sealed record CustomerHoldingsDto(long CustomerId, string CustomerReference, IReadOnlyList<HoldingDto> Holdings);

/// <summary>A refused row: its number, the field, the reason's code, the value as in the file and the reason in the reader's language.</summary>
public sealed record HoldingRejectionDto(int Row, string Field, HoldingRejectReason Reason, string? Value, string Message);

/// <summary>An import without its refused rows, for lists.</summary>
public sealed record HoldingImportSummary(
    long Id, string FileName, string Sha256, HoldingFileFormat Format, int RowsRead, int RowsAccepted, int RowsRejected, long? ImportedById, DateTimeOffset ImportedAt);

/// <summary>An import's result: counts and every refused row, in row order.</summary>
public sealed record HoldingImportDto(
    long Id, string FileName, string Sha256, HoldingFileFormat Format, int RowsRead, int RowsAccepted, int RowsRejected, long? ImportedById, DateTimeOffset ImportedAt,
    IReadOnlyList<HoldingRejectionDto> Rejections);

/// <summary>A file to import: its name, format and bytes.</summary>
public sealed record HoldingFile(string FileName, HoldingFileFormat Format, byte[] Content);

/// <summary>What an import answered: the import, and whether it is an earlier import of the same content (nothing written).</summary>
public sealed record HoldingImportOutcome(HoldingImportDto Import, bool AlreadyImported);
