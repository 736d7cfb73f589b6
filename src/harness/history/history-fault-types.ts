// The fault-timeline events, named for the checkers that read them. They are declared once, in
// history-types.ts (the lead merged them into HistoryEvent there); this file only gathers them so
// a checker can say "the timeline events" without listing them, and can go once nobody imports it.

import type { FailoverEvent, FaultEvent, LagEvent, RolesEvent } from './history-types.ts';

export type { FailoverEvent, FaultEvent, LagEvent, RolesEvent } from './history-types.ts';

/** Events about the system rather than about one operation. */
export type FaultTimelineEvent = FaultEvent | FailoverEvent | LagEvent | RolesEvent;
