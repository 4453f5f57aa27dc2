with

audit as (

    select * from {{ ref('stg_loyalty__reconciliation_audit') }}

),

resolutions as (

    select * from {{ ref('loyalty_resolutions') }}

),

decisions as (

    select
        audit.business_key,
        audit.resolution,
        resolutions.is_reconciled,
        cast(audit.decided_at as date) as decided_on

    from audit

    left join resolutions
        on audit.resolution = resolutions.resolution

),

daily as (

    -- the audit holds one row per business key, so counting rows counts keys
    -- (count(distinct ...) six times per day runs out of Trino memory at 10M keys)
    select
        decided_on,
        count(*) as keys_decided,
        count_if(resolution = 'REALTIME_ONLY') as realtime_only_keys,
        count_if(resolution = 'LEGACY_ONLY') as legacy_only_keys,
        count_if(resolution = 'MERGED_DUPLICATE') as merged_duplicate_keys,
        count_if(resolution = 'CONFLICT') as conflict_keys,
        count_if(is_reconciled) as reconciled_keys

    from decisions

    group by decided_on

),

final as (

    select
        *,
        cast(reconciled_keys as double) / keys_decided as share_reconciled

    from daily

)

select * from final
