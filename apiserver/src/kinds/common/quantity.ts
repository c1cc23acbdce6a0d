// resource.Quantity moved to shared (the scheduler needs it too); re-exported for the kinds.
export { canonicalQuantity, canonicalizeQuantityMap, isQuantity, parseQuantity, QUANTITY_REGEX_MSG } from '@k8ts/shared';
