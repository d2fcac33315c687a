// Saved filters' limits, named once: the model's schemas and the table's checks both read them.
export const FILTER_NAME_MAX = 60
