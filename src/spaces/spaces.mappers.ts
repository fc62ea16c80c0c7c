import { toLocalizedNameList } from '../common/i18n/localized-names';
import { TariffTier } from '../identity/models/identity.enums';
import { ResourceKind, ResourceModel, ZoneModel } from './models/spaces.models';
import { ResourceEntity } from './resource.entity';
import { ZoneEntity } from './zone.entity';

export function toZoneModel(zone: ZoneEntity): ZoneModel {
  return { id: zone.id, name: zone.name, names: toLocalizedNameList(zone.names), openToMembersAnytime: zone.openToMembersAnytime };
}

export function toResourceModel(resource: ResourceEntity): ResourceModel {
  return {
    id: resource.id,
    name: resource.name,
    names: toLocalizedNameList(resource.names),
    kind: resource.kind as ResourceKind,
    capacity: resource.capacity,
    zoneId: resource.zoneId,
    slotMinutes: resource.slotMinutes,
    minMinutes: resource.minMinutes,
    maxMinutes: resource.maxMinutes,
    bufferMinutes: resource.bufferMinutes,
    requiredQualificationId: resource.requiredQualificationId,
    requiresApproval: resource.requiresApproval,
  };
}

export const TIERS = Object.values(TariffTier);
