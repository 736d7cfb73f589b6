import { distributedCommitSection } from './distributed-commit-figures.ts';
import { sectionMd } from './render-section-md.ts';

/** report.md's distributed-commit section: the figures of distributed-commit-figures.ts. */
export const renderDistributedCommitMd = sectionMd(distributedCommitSection);
