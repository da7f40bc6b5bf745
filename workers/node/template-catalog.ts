import { FUNNEL_TEMPLATES } from '../domain/templates';
import type { TemplateCatalog } from '../services/ports';

/** On Node the templates are part of the program: no reason to read them from a file. */
export const bundledTemplates: TemplateCatalog = { all: async () => FUNNEL_TEMPLATES };
