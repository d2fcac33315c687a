// Projects' limits and palette, named once: the model's schemas and the table's checks both read them.
export const PROJECT_NAME_MAX = 60

/** The colours a project may take; the UI maps each to a swatch that reads in both themes. */
export const PROJECT_COLORS = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const
export type ProjectColor = (typeof PROJECT_COLORS)[number]

/** The project every account starts with; tasks added without a project go there. */
export const INBOX_NAME = 'Inbox'

/** People one project may be shared with: members and invitations waiting for an answer together. */
export const PROJECT_MEMBERS_MAX = 50
