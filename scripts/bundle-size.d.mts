/** One bundle-size case of bundle-size.mjs. */
export interface BundleCase {
  name: string;
  source: string;
  external: string[];
  budget: number;
  forbidden: string[];
}
/** What measure() finds for a case. */
export interface BundleSize {
  name: string;
  bytes: number;
  gzipBytes: number;
  budget: number;
  inputs: string[];
}
export const CASES: BundleCase[];
export function measure(testCase: BundleCase): Promise<BundleSize>;
