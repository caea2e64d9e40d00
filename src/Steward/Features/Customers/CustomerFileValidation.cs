using System.Globalization;
using System.Text.RegularExpressions;
using Steward.Features.Customers.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Customers;

/// <summary>
/// The rules of a customer file's fields; every message names its field ("English 中文", shown in the reader's language).
/// What needs the database (the relationship manager, the branch, a duplicate identity number) is checked by the service.
/// </summary>
internal static partial class CustomerFileValidation
{
    public const decimal MaxAssets = 10_000_000_000_000m;
    public const int MaxBeneficialOwners = 10;

    /// <summary>No birth date before this (nobody alive was born earlier).</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[0-9A-Z]{5,30}$")]
    private static partial Regex DocumentNumberPattern();

    // GB 32100-2015 unified social credit code: 18 characters of 0-9 and A-Z without I, O, S, V, Z.
    [GeneratedRegex("^[0-9A-HJ-NPQRTUWXY]{18}$")]
    private static partial Regex CreditCodePattern();

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex PhoneSeparators();

    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();

    /// <summary>An identity number as stored and indexed: trimmed, without spaces and dashes, upper case.</summary>
    public static string? CompactNumber(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new string(value.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();

    /// <summary>A phone number as stored and indexed: without spaces, dashes, brackets and dots.</summary>
    public static string? CompactPhone(string? value) => string.IsNullOrWhiteSpace(value) ? null : PhoneSeparators().Replace(value.Trim(), "");

    /// <summary>
    /// The field errors of <paramref name="r"/> (empty when it is valid). <paramref name="creating"/>: personal data fields are
    /// required; on update a null one keeps the stored value. <paramref name="today"/>: the home branch's date (birth dates and ages).
    /// </summary>
    public static Dictionary<string, string[]> Check(CustomerSaveRequest r, bool creating, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);

        if (r.Kind is null)
        {
            Add("kind", "Choose individual or corporate. 请选择个人或对公客户。");
        }

        var corporate = r.Kind == CustomerKind.Corporate;
        var name = r.Name?.Trim();
        if (name is { Length: > 100 } || (creating || name is not null) && string.IsNullOrEmpty(name))
        {
            Add("name", "Give the name (up to 100 characters). 请填写名称（不超过 100 字）。");
        }

        if (!corporate)
        {
            if (r.BirthDate is not { } birth)
            {
                Add("birthDate", "Give the date of birth. 请填写出生日期。");
            }
            else if (birth > today || birth < EarliestBirthDate)
            {
                Add("birthDate", Invariant($"The date of birth is impossible: it must be between {EarliestBirthDate:yyyy-MM-dd} and today. 出生日期不合理：须在 {EarliestBirthDate:yyyy-MM-dd} 与今天之间。"));
            }
        }
        else if (r.BirthDate is not null)
        {
            Add("birthDate", "A corporate customer has no date of birth. 对公客户无出生日期。");
        }

        CheckDocument(errors, r.IdType, r.IdIssuingCountry, r.IdNumber, r.BirthDate, creating, corporate);
        if (r.IdExpiresOn is { } expires && r.BirthDate is { } born && expires <= born)
        {
            Add("idExpiresOn", "The document cannot expire before the holder was born. 证件有效期不能早于出生日期。");
        }

        var phone = CompactPhone(r.Phone);
        if (creating && phone is null)
        {
            Add("phone", "Give a phone number. 请填写电话号码。");
        }
        else if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            Add("phone", "Not a phone number: digits, with an optional + and country code. 电话号码格式不正确：应为数字，可带 + 和国家代码。");
        }

        var email = r.Email?.Trim();
        if (!string.IsNullOrEmpty(email) && (email.Length > 200 || email.IndexOf('@', StringComparison.Ordinal) < 1 || email.EndsWith('@') || email.Any(char.IsWhiteSpace)))
        {
            Add("email", "Not an e-mail address. 邮箱格式不正确。");
        }

        var address = r.Address?.Trim();
        if (creating && string.IsNullOrEmpty(address))
        {
            Add("address", "Give the street address. 请填写联系地址。");
        }
        else if (address is { Length: > 300 })
        {
            Add("address", "The address is at most 300 characters. 地址不超过 300 字。");
        }

        if (!string.IsNullOrWhiteSpace(r.PreferredLanguage) && Cultures.Of(r.PreferredLanguage) is null)
        {
            Add("preferredLanguage", "Choose Chinese (zh-CN) or English (en), or leave it not stated. 请选择中文（zh-CN）或英文（en），或不填。");
        }

        if (r.Occupation?.Trim() is { Length: > 100 })
        {
            Add("occupation", "The occupation is at most 100 characters. 职业不超过 100 字。");
        }

        if (r.SourceOfFunds?.Trim() is { Length: > 200 })
        {
            Add("sourceOfFunds", "The source of funds is at most 200 characters. 资金来源不超过 200 字。");
        }

        if (r.DeclaredAssets is { } assets && (assets < 0 || assets > MaxAssets || decimal.Round(assets, 2) != assets))
        {
            Add("declaredAssets", "Declared assets are a non-negative amount with at most 2 decimals. 申报金融资产须为非负金额，最多两位小数。");
        }

        if (r.KycRiskRating is null)
        {
            Add("kycRiskRating", "Choose the risk rating (low, medium, high). 请选择风险等级（低、中、高）。");
        }

        var note = r.VulnerabilityNote?.Trim();
        if (r.OtherVulnerability && string.IsNullOrEmpty(note))
        {
            Add("vulnerabilityNote", "Describe the other vulnerability. 请说明其他特殊情况。");
        }
        else if (note is { Length: > 400 })
        {
            Add("vulnerabilityNote", "The note is at most 400 characters. 说明不超过 400 字。");
        }

        if (corporate)
        {
            CheckCorporate(errors, r, creating);
        }
        else if (!string.IsNullOrWhiteSpace(r.LegalRepresentativeName) || !string.IsNullOrWhiteSpace(r.LegalRepresentativeIdNumber) || r.BeneficialOwners is { Count: > 0 })
        {
            Add("legalRepresentativeName", "Only a corporate customer has a legal representative and beneficial owners. 只有对公客户有法定代表人和受益所有人。");
        }

        return errors;
    }

    /// <summary>Age in whole years on <paramref name="today"/> (a 29 February birthday counts on 1 March in other years).</summary>
    public static int Age(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return today < birth.AddYears(age) ? age - 1 : age;
    }

    /// <summary>An identity document's kind, issuing country and number (errors at idType, idIssuingCountry, idNumber); a PRC resident
    /// identity number's embedded birth date must match <paramref name="birthDate"/> when given (error at birthDate).</summary>
    internal static void CheckDocument(Dictionary<string, string[]> errors, IdentityDocumentType? idType, string? issuingCountry, string? idNumber, DateOnly? birthDate, bool creating, bool corporate)
    {
        void Add(string field, string message) => errors.TryAdd(field, [message]);
        if (idType is not { } type)
        {
            Add("idType", "Choose the kind of identity document. 请选择证件类型。");
            return;
        }

        if (corporate && type is not (IdentityDocumentType.BusinessLicence or IdentityDocumentType.Other))
        {
            Add("idType", "A corporate customer is identified by its business licence. 对公客户的证件为营业执照。");
        }
        else if (!corporate && type == IdentityDocumentType.BusinessLicence)
        {
            Add("idType", "A business licence identifies a company, not a person. 营业执照用于对公客户，不能用于个人。");
        }

        var country = issuingCountry?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(country) || !CountryPattern().IsMatch(country))
        {
            Add("idIssuingCountry", "Give the issuing country as a 2-letter ISO 3166 code, e.g. CN. 请以两位 ISO 3166 代码填写签发国家，例如 CN。");
        }
        else if (type is IdentityDocumentType.PrcResidentId or IdentityDocumentType.BusinessLicence && country != "CN")
        {
            Add("idIssuingCountry", "This document is issued in China: the country is CN. 此类证件由中国签发，国家应为 CN。");
        }

        var number = CompactNumber(idNumber);
        if (number is null)
        {
            if (creating)
            {
                Add("idNumber", "Give the document number. 请填写证件号码。");
            }

            return;
        }

        switch (type)
        {
            case IdentityDocumentType.PrcResidentId:
                var problem = PrcResidentIdentityNumber.Check(number, out var embedded);
                if (problem != PrcIdentityNumberProblem.None)
                {
                    Add("idNumber", problem switch
                    {
                        PrcIdentityNumberProblem.WrongLength => "A resident identity number has 18 characters. 居民身份证号码应为 18 位。",
                        PrcIdentityNumberProblem.NotDigits => "A resident identity number is 17 digits and a final digit or X. 居民身份证号码为 17 位数字加一位数字或 X。",
                        PrcIdentityNumberProblem.ImpossibleBirthDate => "The birth date inside the identity number is not a real date. 身份证号码中的出生日期不存在。",
                        _ => "The identity number fails its check digit: a character is mistyped. 身份证号码校验位不符，可能有字符输错。",
                    });
                }
                else if (birthDate is { } birth && birth != embedded && !errors.ContainsKey("birthDate"))
                {
                    Add("birthDate", Invariant($"The date of birth differs from the one in the identity number ({embedded:yyyy-MM-dd}). 出生日期与身份证号码中的（{embedded:yyyy-MM-dd}）不一致。"));
                }

                break;
            case IdentityDocumentType.BusinessLicence:
                if (!CreditCodePattern().IsMatch(number))
                {
                    Add("idNumber", "A unified social credit code has 18 digits and capital letters (no I, O, S, V or Z). 统一社会信用代码为 18 位数字和大写字母（不含 I、O、S、V、Z）。");
                }

                break;
            case IdentityDocumentType.Passport:
            case IdentityDocumentType.TravelPermit:
            case IdentityDocumentType.ForeignPermanentResidentId:
            case IdentityDocumentType.Other:
                if (!DocumentNumberPattern().IsMatch(number))
                {
                    Add("idNumber", "A document number is 5 to 30 letters and digits. 证件号码为 5 至 30 位字母和数字。");
                }

                break;
        }
    }

    private static void CheckCorporate(Dictionary<string, string[]> errors, CustomerSaveRequest r, bool creating)
    {
        void Add(string field, string message) => errors.TryAdd(field, [message]);
        var representative = r.LegalRepresentativeName?.Trim();
        if ((creating || representative is not null) && (string.IsNullOrEmpty(representative) || representative.Length > 100))
        {
            Add("legalRepresentativeName", "Give the legal representative's name (up to 100 characters). 请填写法定代表人姓名（不超过 100 字）。");
        }

        var representativeId = CompactNumber(r.LegalRepresentativeIdNumber);
        if (creating && representativeId is null)
        {
            Add("legalRepresentativeIdNumber", "Give the legal representative's identity number. 请填写法定代表人证件号码。");
        }
        else if (representativeId is not null && !PersonNumberValid(representativeId))
        {
            Add("legalRepresentativeIdNumber", "Not a valid identity number (an 18-character resident identity number must pass its check digit). 证件号码无效（18 位居民身份证号码须通过校验位）。");
        }

        if (r.BeneficialOwners is not { } owners)
        {
            if (creating)
            {
                Add("beneficialOwners", "Give at least one beneficial owner. 请至少填写一名受益所有人。");
            }

            return;
        }

        if (owners.Count is 0 or > MaxBeneficialOwners)
        {
            Add("beneficialOwners", Invariant($"Give 1 to {MaxBeneficialOwners} beneficial owners. 请填写 1 至 {MaxBeneficialOwners} 名受益所有人。"));
            return;
        }

        for (var i = 0; i < owners.Count; i++)
        {
            var o = owners[i];
            var prefix = Invariant($"beneficialOwners[{i}].");
            if (string.IsNullOrWhiteSpace(o.Name) || o.Name.Trim().Length > 100)
            {
                Add(prefix + "name", "Give the owner's name (up to 100 characters). 请填写受益所有人姓名（不超过 100 字）。");
            }

            if (CompactNumber(o.IdNumber) is not { } id || !PersonNumberValid(id))
            {
                Add(prefix + "idNumber", "Give a valid identity number (an 18-character resident identity number must pass its check digit). 请填写有效的证件号码（18 位居民身份证号码须通过校验位）。");
            }

            if (o.SharePercent is <= 0 or > 100 || decimal.Round(o.SharePercent, 2) != o.SharePercent)
            {
                Add(prefix + "sharePercent", "The share is more than 0 and at most 100 percent, with at most 2 decimals. 持股比例须大于 0 且不超过 100%，最多两位小数。");
            }
        }

        if (owners.Sum(o => o.SharePercent) > 100m)
        {
            Add("beneficialOwners", "The owners' shares add up to more than 100 percent. 受益所有人持股比例合计超过 100%。");
        }
    }

    /// <summary>A person's identity number: an 18-character PRC resident number with a correct check character, or another document's 5–30 letters and digits.</summary>
    private static bool PersonNumberValid(string number) =>
        number.Length == 18 && number[..17].All(char.IsAsciiDigit)
            ? PrcResidentIdentityNumber.Check(number, out _) == PrcIdentityNumberProblem.None
            : DocumentNumberPattern().IsMatch(number);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
