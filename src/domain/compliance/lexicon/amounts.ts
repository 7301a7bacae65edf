/**
 * Doses and weights written without a space ("10mg", "3.5g", "1oz") are one token each, which a
 * phrase can only meet by naming it; these are the amounts such offers actually use.
 */
export const numbered = (unit: string, amounts: number[]) => amounts.map((n) => `${n}${unit}`).join('|');
export const MG_DOSES = numbered(
  'mg',
  [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 75, 80, 100, 120, 125, 150, 200, 220, 250, 300, 350, 400, 500, 600, 750, 800, 1000,
    1200, 1500, 2000, 2500, 3000, 5000,
  ],
);
export const MG = `mg|${MG_DOSES}`;
export const GRAMS = `g|gram|grams|${numbered('g', [1, 2, 3, 4, 5, 7, 10, 14, 28, 50, 100, 200, 250, 350, 500, 1000])}`;
export const OUNCES = `oz|ounce|ounces|${numbered('oz', [1, 2, 4, 8, 16])}`;
