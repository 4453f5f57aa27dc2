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

    select
        decided_on,
        count(distinct business_key) as keys_decided,
        count(distinct case when resolution = 'REALTIME_ONLY' then business_key end) as realtime_only_keys,
        count(distinct case when resolution = 'LEGACY_ONLY' then business_key end) as legacy_only_keys,
        count(distinct case when resolution = 'MERGED_DUPLICATE' then business_key end) as merged_duplicate_keys,
        count(distinct case when resolution = 'CONFLICT' then business_key end) as conflict_keys,
        count(distinct case when is_reconciled then business_key end) as reconciled_keys

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
