// The wink packages ship JavaScript without type declarations; these cover what clearsend calls.
declare module 'wink-porter2-stemmer' {
  const stem: (word: string) => string;
  export = stem;
}

declare module 'wink-naive-bayes-text-classifier' {
  interface WinkNaiveBayes {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    definePrepTasks(tasks: Array<(input: string[]) => string[]>): number;
    learn(input: string[], label: string): boolean;
    consolidate(): boolean;
    computeOdds(input: string[]): Array<[string, number]>;
    predict(input: string[]): string;
    exportJSON(): string;
    importJSON(json: string): boolean;
  }
  const create: () => WinkNaiveBayes;
  export = create;
}
