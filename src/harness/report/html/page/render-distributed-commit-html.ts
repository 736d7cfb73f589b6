import { distributedCommitSection } from '../../distributed-commit-figures.ts';
import { sectionHtml } from './render-section-html.ts';

/** report.html's distributed-commit section: the figures of ../../distributed-commit-figures.ts. */
export const renderDistributedCommitHtml = sectionHtml(distributedCommitSection);
