export { createSubjectsService, type Subject, type SubjectIdentifiers, type SubjectsService, type SubjectIdentifierKind, type SubjectKeys } from './subjects.service.ts';
export type { SubjectsTable, SubjectsTables } from './subjects.tables.ts';
