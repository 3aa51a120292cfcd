/** Chooses a region inside the user's own area: a tree starting at the user's region, whose
 * townships and villages load on demand from the regions API. */
import { TreeSelect } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { useMe } from '../auth';
import { regionLevel, type Region, type RegionDetail } from '../types';

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable?: boolean;
}

interface Props {
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** The user's own region can be chosen too (default true). */
  includeRoot?: boolean;
  style?: React.CSSProperties;
  disabled?: boolean;
  /** Only regions of this level (5 = village) can be chosen; the others just open. */
  selectableLevel?: number;
  'data-testid'?: string;
}

const toNode = (r: Region, pId: string | null): Node => ({ id: r.code, pId, value: r.code, title: r.name, isLeaf: r.childCount === 0 || r.level >= 5 });

export function RegionTreeSelect({ value, onChange, placeholder, allowClear = true, includeRoot = true, style, disabled, selectableLevel, ...rest }: Props) {
  const { t } = useTranslation();
  const me = useMe();
  const [nodes, setNodes] = useState<Node[]>([]);
  const loaded = useRef(new Set<string>());

  const loadChildren = useCallback(async (code: string) => {
    if (loaded.current.has(code)) return;
    loaded.current.add(code);
    try {
      const { items } = await get<{ items: Region[] }>('/api/v1/regions', { parent: code });
      setNodes((prev) => {
        const have = new Set(prev.map((n) => n.id));
        return [...prev, ...items.filter((r) => !have.has(r.code)).map((r) => toNode(r, code))];
      });
    } catch (e) {
      loaded.current.delete(code);
      throw e;
    }
  }, []);

  // The root: the user's own region (or, without it, its children at the top).
  useEffect(() => {
    let live = true;
    get<RegionDetail>(`/api/v1/regions/${me.regionCode}`)
      .then(async (r) => {
        if (!live) return;
        if (includeRoot) setNodes((prev) => (prev.some((n) => n.id === r.code) ? prev : [{ ...toNode(r, null) }, ...prev]));
        // Nodes whose parent is not in the tree show at the top level.
        else await loadChildren(r.code);
      })
      .catch(() => undefined); // a 401 has sent the user to the login page already
    return () => {
      live = false;
    };
  }, [me.regionCode, includeRoot, loadChildren]);

  // A value deeper than what is loaded (editing a record): load the branch down to it, once.
  const rootLevel = me.regionPath.at(-1)?.level ?? 3;
  const branchFor = useRef<string | null>(null);
  useEffect(() => {
    if (!value || branchFor.current === value || nodes.some((n) => n.id === value)) return;
    branchFor.current = value;
    void get<RegionDetail>(`/api/v1/regions/${value}`)
      .then(async (r) => {
        for (const p of r.path.filter((x) => x.level >= rootLevel && x.code !== value)) await loadChildren(p.code);
      })
      .catch(() => undefined);
  }, [value, nodes, rootLevel, loadChildren]);

  return (
    <TreeSelect
      {...rest}
      treeDataSimpleMode
      treeData={selectableLevel ? nodes.map((n) => ({ ...n, selectable: regionLevel(n.value) === selectableLevel })) : nodes}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      loadData={(n) => loadChildren(String(n.value))}
      placeholder={placeholder ?? t('common.regionPlaceholder')}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandedKeys={includeRoot ? [me.regionCode] : undefined}
      disabled={disabled}
      style={{ minWidth: 200, ...style }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 260 } } }}
    />
  );
}
