namespace Steward.Bench.Data;

/// <summary>Chinese and English personal names from common surnames and given names.</summary>
public static class Names
{
    private static readonly string[] ZhSurnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "欧阳", "司马"];
    private static readonly string[] ZhGiven = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "志强", "晓燕", "子涵", "浩然", "雨桐", "欣怡", "梓萱", "宇轩", "思远", "一鸣", "嘉怡", "俊杰"];
    private static readonly string[] EnGiven = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah", "Grace", "Charlie", "Sophie", "Thomas", "Emily", "James", "Lily", "William", "Freya", "Henry", "Chloe", "Arthur", "Ella", "Samuel", "Evie"];
    private static readonly string[] EnSurnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Khan", "Chen"];

    public static string Chinese(Random random) => ZhSurnames[random.Next(ZhSurnames.Length)] + ZhGiven[random.Next(ZhGiven.Length)];

    public static string English(Random random) => EnGiven[random.Next(EnGiven.Length)] + " " + EnSurnames[random.Next(EnSurnames.Length)];
}
