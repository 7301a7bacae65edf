/**
 * Every term of `a` and of `b` in either order within about sixteen words (`**` is a gap of up
 * to eight): a pair that is as telling as one strong term, with no weak term of its own that
 * the model could attribute the category to ("Chase" alone is a bank, a name and a verb).
 */
export const near = (a: string[], b: string[]): string[] => a.flatMap((x) => b.flatMap((y) => [`${x} ** ** ${y}`, `${y} ** ** ${x}`]));
