/** North American toll-free numbers (800, 833, 844, 855, 866, 877, 888): registered by toll-free verification, not 10DLC. */
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;

export const isTollFreeNumber = (e164: string) => TOLL_FREE.test(e164);
